/** placeholder replaced below */
export async function runCheck(): Promise<number> {
  return 0;
}
