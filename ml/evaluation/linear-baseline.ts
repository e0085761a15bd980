/**
 * The linear baseline logged with every run: ridge regression for ratings, L2-regularized logistic
 * regression (Newton steps) for popularity, on the same encoded features as the boosted trees.
 * Missing values are imputed with the training mean plus a "was missing" indicator per column that
 * has any; columns are standardized.
 */

export interface LinearModel {
  /** Prediction for one encoded row (a value, or a probability for the logistic model). */
  predict(values: Float32Array, row: number): number;
}

interface Design {
  /** Training mean and scale per input column; NaN-indicator columns follow the inputs. */
  means: Float64Array;
  scales: Float64Array;
  missingColumns: number[];
  width: number;
}

const RIDGE = 1;
const NEWTON_STEPS = 8;

export function fitLinearBaseline(kind: 'regression' | 'classification', values: Float32Array, labels: Float32Array, cols: number): LinearModel {
  const rows = labels.length;
  const design = designOf(values, rows, cols);
  const x = new Float64Array(design.width);
  const row = (r: number): Float64Array => expand(design, values, r, cols, x);
  const weights = kind === 'regression' ? fitRidge(design.width, rows, row, labels) : fitLogistic(design.width, rows, row, labels);
  return {
    predict(v, r) {
      const z = dot(weights, expand(design, v, r, cols, x));
      return kind === 'regression' ? z : 1 / (1 + Math.exp(-z));
    },
  };
}

function designOf(values: Float32Array, rows: number, cols: number): Design {
  const sums = new Float64Array(cols);
  const squares = new Float64Array(cols);
  const counts = new Float64Array(cols);
  const missing = new Uint8Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c]!;
      if (Number.isNaN(v)) {
        missing[c] = 1;
        continue;
      }
      sums[c]! += v;
      squares[c]! += v * v;
      counts[c]! += 1;
    }
  }
  const means = new Float64Array(cols);
  const scales = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const n = counts[c]!;
    means[c] = n === 0 ? 0 : sums[c]! / n;
    const variance = n === 0 ? 0 : squares[c]! / n - means[c]! ** 2;
    scales[c] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  const missingColumns = [...missing.keys()].filter((c) => missing[c] === 1);
  // Inputs, their missing indicators, and the intercept last.
  return { means, scales, missingColumns, width: cols + missingColumns.length + 1 };
}

function expand(design: Design, values: Float32Array, r: number, cols: number, out: Float64Array): Float64Array {
  for (let c = 0; c < cols; c++) {
    const v = values[r * cols + c]!;
    out[c] = Number.isNaN(v) ? 0 : (v - design.means[c]!) / design.scales[c]!;
  }
  design.missingColumns.forEach((c, k) => {
    out[cols + k] = Number.isNaN(values[r * cols + c]!) ? 1 : 0;
  });
  out[design.width - 1] = 1;
  return out;
}

function fitRidge(width: number, rows: number, row: (r: number) => Float64Array, labels: Float32Array): Float64Array {
  const gram = new Float64Array(width * width);
  const rhs = new Float64Array(width);
  for (let r = 0; r < rows; r++) accumulate(gram, rhs, row(r), 1, labels[r]!, width);
  return solveRegularized(gram, rhs, width);
}

function fitLogistic(width: number, rows: number, row: (r: number) => Float64Array, labels: Float32Array): Float64Array {
  const weights = new Float64Array(width);
  for (let step = 0; step < NEWTON_STEPS; step++) {
    // Newton's step is a weighted ridge solve: (XᵀWX + λI) δ = Xᵀ(y − p) − λw.
    const hessian = new Float64Array(width * width);
    const gradient = new Float64Array(width);
    for (let r = 0; r < rows; r++) {
      const x = row(r);
      const p = 1 / (1 + Math.exp(-dot(weights, x)));
      accumulate(hessian, gradient, x, Math.max(p * (1 - p), 1e-6), (labels[r]! - p) / Math.max(p * (1 - p), 1e-6), width);
    }
    for (let i = 0; i < width - 1; i++) gradient[i]! -= RIDGE * weights[i]!;
    const delta = solveRegularized(hessian, gradient, width);
    let change = 0;
    for (let i = 0; i < width; i++) {
      weights[i]! += delta[i]!;
      change = Math.max(change, Math.abs(delta[i]!));
    }
    if (change < 1e-6) break;
  }
  return weights;
}

/** Adds w·x xᵀ to the upper triangle of `gram` and w·t·x to `rhs`. */
function accumulate(gram: Float64Array, rhs: Float64Array, x: Float64Array, w: number, t: number, width: number): void {
  for (let i = 0; i < width; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const wxi = w * xi;
    rhs[i]! += wxi * t;
    const base = i * width;
    for (let j = i; j < width; j++) gram[base + j]! += wxi * x[j]!;
  }
}

/** Solves (G + λI) w = b for symmetric G (upper triangle filled) by Cholesky; the intercept is not penalized. */
function solveRegularized(gram: Float64Array, rhs: Float64Array, width: number): Float64Array {
  const a = new Float64Array(width * width);
  for (let i = 0; i < width; i++) {
    for (let j = i; j < width; j++) {
      const v = gram[i * width + j]! + (i === j ? (i === width - 1 ? 1e-9 : RIDGE) : 0);
      a[i * width + j] = v;
      a[j * width + i] = v;
    }
  }
  // In place: a = L Lᵀ, L in the lower triangle.
  for (let j = 0; j < width; j++) {
    let d = a[j * width + j]!;
    for (let k = 0; k < j; k++) d -= a[j * width + k]! ** 2;
    const l = Math.sqrt(Math.max(d, 1e-12));
    a[j * width + j] = l;
    for (let i = j + 1; i < width; i++) {
      let s = a[i * width + j]!;
      for (let k = 0; k < j; k++) s -= a[i * width + k]! * a[j * width + k]!;
      a[i * width + j] = s / l;
    }
  }
  const y = new Float64Array(width);
  for (let i = 0; i < width; i++) {
    let s = rhs[i]!;
    for (let k = 0; k < i; k++) s -= a[i * width + k]! * y[k]!;
    y[i] = s / a[i * width + i]!;
  }
  const w = new Float64Array(width);
  for (let i = width - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < width; k++) s -= a[k * width + i]! * w[k]!;
    w[i] = s / a[i * width + i]!;
  }
  return w;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
