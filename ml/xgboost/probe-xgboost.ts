import { DEFAULT_XGBOOST_LIBRARY } from './train-boosted-trees.js';

/**
 * Whether training could load XGBoost's library here (`gmp demo` leaves training out when not,
 * and says how to install it). Loads the library in this process only to look; nothing is called.
 */
export async function probeXgboost(libraryPath: string = DEFAULT_XGBOOST_LIBRARY): Promise<{ available: true } | { available: false; reason: string }> {
  try {
    const { loadXgboostLibrary } = await import('./xgboost-library.js');
    loadXgboostLibrary(libraryPath);
    return { available: true };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
