/** Holdout metrics, as MLflow users know them. Predictions and labels are aligned arrays. */

export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (predicted[i]! - actual[i]!) ** 2;
  return Math.sqrt(sum / Math.max(1, actual.length));
}

export function mae(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(predicted[i]! - actual[i]!);
  return sum / Math.max(1, actual.length);
}

/** Coefficient of determination against the holdout's own mean (1 is perfect, 0 is the mean). */
export function r2(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < actual.length; i++) mean += actual[i]!;
  mean /= Math.max(1, actual.length);
  let residual = 0;
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    residual += (predicted[i]! - actual[i]!) ** 2;
    total += (actual[i]! - mean) ** 2;
  }
  return total === 0 ? 0 : 1 - residual / total;
}

/**
 * Area under the ROC curve: the chance that a random positive scores above a random negative (ties
 * count half), by ranks. NaN when the labels hold one class only.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]! > 0.5) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean binary cross-entropy, probabilities clipped away from 0 and 1. */
export function logloss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i]!));
    sum -= labels[i]! > 0.5 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / Math.max(1, labels.length);
}

/** Share of rows whose probability falls on the side of 0.5 their label is on. */
export function accuracy(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (probabilities[i]! >= 0.5 === labels[i]! > 0.5) right++;
  return right / Math.max(1, labels.length);
}
