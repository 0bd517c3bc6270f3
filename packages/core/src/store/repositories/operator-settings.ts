export interface OperatorSettingRow {
  name: string;
  value: string;
  /** Epoch milliseconds when a server first started with this value. */
  sinceMs: number;
}

/** Since when each operator setting has held its value (requirement/record-start.ts). */
export interface OperatorSettingRepository {
  find(name: string): Promise<OperatorSettingRow | undefined>;
  /**
   * Keeps the row when it already holds `value` (so the first start's time stays), else
   * writes `row`. Answers the row as stored afterwards.
   */
  recordValue(row: OperatorSettingRow): Promise<OperatorSettingRow>;
  remove(name: string): Promise<void>;
}
