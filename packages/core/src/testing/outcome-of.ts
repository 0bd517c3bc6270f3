/** 'ok', or the domain code a call failed with: lets a test compare a run of attempts at once. */
export async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
}
