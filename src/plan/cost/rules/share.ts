/** A stack-wide usage quantity split evenly over the `n` resources that carry it. */
export const share = (total: number, n: number): number => (n > 0 ? total / n : 0);
