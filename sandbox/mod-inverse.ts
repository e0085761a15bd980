/** The inverse of `a` modulo `m` (extended Euclid); throws when they are not coprime. */
export function modInverse(a: number, m: number): number {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1) throw new RangeError(`${a} has no inverse modulo ${m}`);
  return ((oldS % m) + m) % m;
}
