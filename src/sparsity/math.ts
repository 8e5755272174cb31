// Small numeric helpers shared by the sparsity patterns and storage formats: exact bit widths,
// log-gamma, hypergeometric and binomial probabilities, and a normal CDF. All pure.

/** Smallest b with 2^b >= n, i.e. ceil(log2(n)) for n >= 1; 0 for n <= 1. Exact for integers. */
export function bitsFor(n: number): number {
  let bits = 0;
  let capacity = 1;
  while (capacity < n) {
    capacity *= 2;
    bits++;
  }
  return bits;
}

/** Bits needed to hold any integer in [0, maxValue]. */
export function bitsForValue(maxValue: number): number {
  return bitsFor(maxValue + 1);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln C(n, k); -Infinity when k is outside [0, n]. */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Probability that a fixed set of `a` positions contains none of `k` positions chosen uniformly
 * without replacement from `n`: C(n-a, k) / C(n, k) (= C(n-k, a) / C(n, a)).
 */
export function probNoneChosen(n: number, k: number, a: number): number {
  if (k <= 0 || a <= 0) return 1;
  if (a + k > n) return 0;
  const terms = Math.min(a, k);
  const other = terms === a ? k : a;
  if (terms <= 4096) {
    let p = 1;
    for (let i = 0; i < terms; i++) {
      p *= (n - other - i) / (n - i);
      if (p === 0) return 0;
    }
    return p;
  }
  return Math.exp(logChoose(n - a, k) - logChoose(n, k));
}

/** Variance of the number of chosen items in a fixed set of `a` out of `n` when `k` are chosen. */
export function hypergeometricVariance(n: number, k: number, a: number): number {
  if (n <= 1 || a <= 0 || k <= 0 || k >= n) return 0;
  const q = k / n;
  return (a * q * (1 - q) * (n - a)) / (n - 1);
}

/** Binomial(n, p) probability mass 0..n, computed in log space (no underflow for large n). */
export function binomialPmf(n: number, p: number): Float64Array {
  const pmf = new Float64Array(n + 1);
  if (p <= 0) {
    pmf[0] = 1;
    return pmf;
  }
  if (p >= 1) {
    pmf[n] = 1;
    return pmf;
  }
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const base = logGamma(n + 1);
  for (let k = 0; k <= n; k++) {
    pmf[k] = Math.exp(base - logGamma(k + 1) - logGamma(n - k + 1) + k * lp + (n - k) * lq);
  }
  return pmf;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf; absolute error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Probability mass over the integers 0..upper of a count with the given mean and variance:
 * exact point mass when the variance is 0, otherwise a discretised normal (continuity-corrected)
 * clamped to [0, upper]. Only entries within mean ± 8 sd are filled; returns [offset, pmf].
 */
export function discreteCountPmf(mean: number, variance: number, upper: number): { offset: number; pmf: Float64Array } {
  if (variance <= 1e-12) {
    const k = Math.min(upper, Math.max(0, Math.round(mean)));
    const pmf = new Float64Array(1);
    pmf[0] = 1;
    return { offset: k, pmf };
  }
  const sd = Math.sqrt(variance);
  const lo = Math.max(0, Math.floor(mean - 8 * sd));
  const hi = Math.min(upper, Math.ceil(mean + 8 * sd));
  const pmf = new Float64Array(hi - lo + 1);
  for (let k = lo; k <= hi; k++) {
    const below = k === lo ? 0 : normalCdf((k - 0.5 - mean) / sd);
    const atOrBelow = k === hi ? 1 : normalCdf((k + 0.5 - mean) / sd);
    pmf[k - lo] = Math.max(0, atOrBelow - below);
  }
  return { offset: lo, pmf };
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * A distribution over 0..len for a count of nonzeros among `len` elements with the given mean and
 * variance: a point mass when the variance is 0; a discretised normal when clearly
 * under-dispersed (< 0.8x) relative to Binomial(len, mean/len) (structured patterns); the
 * binomial itself when close; a
 * beta-binomial with matching dispersion when over-dispersed (clustered patterns), which becomes
 * the two-point {0, len} distribution at full dispersion.
 */
export function countPmf(len: number, mean: number, variance: number): Float64Array {
  const pmf = new Float64Array(len + 1);
  const p = len > 0 ? Math.min(1, Math.max(0, mean / len)) : 0;
  const binVar = len * p * (1 - p);
  if (variance <= 1e-12 || binVar <= 1e-12) {
    pmf[Math.min(len, Math.max(0, Math.round(mean)))] = 1;
    return pmf;
  }
  if (variance < binVar * 0.8) {
    const { offset, pmf: part } = discreteCountPmf(mean, variance, len);
    pmf.set(part, offset);
    return pmf;
  }
  const rho = len > 1 ? (variance / binVar - 1) / (len - 1) : 0;
  if (rho <= 1e-3) return binomialPmf(len, p);
  if (rho >= 1 - 1e-6) {
    pmf[0] = 1 - p;
    pmf[len] = p;
    return pmf;
  }
  const scale = 1 / rho - 1;
  const a = p * scale;
  const b = (1 - p) * scale;
  const base = logGamma(len + 1) - logBeta(a, b);
  let total = 0;
  for (let k = 0; k <= len; k++) {
    pmf[k] = Math.exp(base - logGamma(k + 1) - logGamma(len - k + 1) + logBeta(k + a, len - k + b));
    total += pmf[k];
  }
  for (let k = 0; k <= len; k++) pmf[k] /= total;
  return pmf;
}

/**
 * Effective number of independent members among `n` equally correlated ones (design effect):
 * n / (1 + (n - 1) rho), with rho clamped to [0, 1].
 */
export function effectiveCount(n: number, rho: number): number {
  const r = Math.min(1, Math.max(0, rho));
  return n / (1 + (n - 1) * r);
}
