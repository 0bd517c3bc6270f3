/** Notices per user and family in a day-long window (notices/budget.ts). Times are epoch ms. */
export interface NoticeBudgetRepository {
  /**
   * Takes the next notice of the window in one upsert: a window that started at or before
   * `nowMs - windowMs` (or none) starts afresh at `nowMs`. Answers which notice of its window
   * this one is (1 for the first) and when the window started; of parallel takes each gets its
   * own number.
   */
  take(query: {
    userId: string;
    family: string;
    nowMs: number;
    windowMs: number;
  }): Promise<{ ordinal: number; windowStartedAtMs: number }>;
}
