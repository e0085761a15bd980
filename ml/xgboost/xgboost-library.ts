import koffi, { type LibraryHandle, type TypeObject } from 'koffi';
import { MlEngineError, MlEngineMissingError } from './ml-engine-errors.js';

/** An XGBoost DMatrixHandle or BoosterHandle (an opaque native pointer). */
export type XgbHandle = unknown;

/** The few calls of XGBoost's C API gmp uses; every failed call throws MlEngineError with XGBoost's message. */
export interface XgboostLibrary {
  version: string;
  /** A DMatrix over row-major float32 values, NaN as missing. */
  createMatrix(values: Float32Array, rows: number, cols: number): XgbHandle;
  setLabels(matrix: XgbHandle, labels: Float32Array): void;
  setFeatureNames(matrix: XgbHandle, names: readonly string[]): void;
  freeMatrix(matrix: XgbHandle): void;
  createBooster(cache: readonly XgbHandle[]): XgbHandle;
  setParam(booster: XgbHandle, name: string, value: string): void;
  /** Feature names kept in the saved model (`learner.feature_names`). */
  setBoosterFeatureNames(booster: XgbHandle, names: readonly string[]): void;
  updateOneIter(booster: XgbHandle, iteration: number, train: XgbHandle): void;
  /** XGBoost's evaluation line, e.g. `[3]\ttrain-rmse:0.41\tvalid-rmse:0.47`. */
  evalOneIter(booster: XgbHandle, iteration: number, matrices: readonly XgbHandle[], names: readonly string[]): string;
  /** Predictions (transformed: probabilities for binary:logistic), or pred_contribs (rows × (cols+1)), copied. */
  predict(booster: XgbHandle, matrix: XgbHandle, contributions: boolean): Float32Array;
  /** A new booster holding rounds [begin, end). */
  slice(booster: XgbHandle, begin: number, end: number): XgbHandle;
  setAttr(booster: XgbHandle, key: string, value: string): void;
  saveModelJson(booster: XgbHandle): string;
  loadModelJson(booster: XgbHandle, json: string): void;
  freeBooster(booster: XgbHandle): void;
  /** Hands XGBoost an invalid handle: a real native fault, for the crash test only. */
  crashForTest(): void;
}

// XGBoosterPredict's option_mask bit for pred_contribs (c_api.h).
const PRED_CONTRIBS = 4;
let handleType: TypeObject | undefined;

/**
 * Loads libxgboost with koffi and binds its C API. Throws MlEngineMissingError when the library
 * cannot be opened or lacks the functions gmp calls.
 */
export function loadXgboostLibrary(libraryPath: string): XgboostLibrary {
  let lib: LibraryHandle;
  try {
    lib = koffi.load(libraryPath);
  } catch (error) {
    throw new MlEngineMissingError(libraryPath, error instanceof Error ? error.message : String(error));
  }
  handleType ??= koffi.pointer('XgbHandle', koffi.opaque());
  try {
    return bind(lib);
  } catch (error) {
    throw new MlEngineMissingError(libraryPath, `not the XGBoost C API: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function bind(lib: LibraryHandle): XgboostLibrary {
  const f = (prototype: string) => lib.func(prototype);
  const lastError = f('const char *XGBGetLastError()');
  const versionOf = f('void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)');
  const createFromMat = f('int XGDMatrixCreateFromMat(const float *data, uint64_t nrow, uint64_t ncol, float missing, _Out_ XgbHandle *out)');
  const setFloatInfo = f('int XGDMatrixSetFloatInfo(XgbHandle handle, const char *field, const float *array, uint64_t len)');
  const setStrFeatureInfo = f('int XGDMatrixSetStrFeatureInfo(XgbHandle handle, const char *field, const char **features, uint64_t size)');
  const matrixFree = f('int XGDMatrixFree(XgbHandle handle)');
  const matrixFreeRaw = lib.func('XGDMatrixFree', 'int', ['uintptr_t']);
  const boosterCreate = f('int XGBoosterCreate(XgbHandle *dmats, uint64_t len, _Out_ XgbHandle *out)');
  const boosterSetStrFeatureInfo = f('int XGBoosterSetStrFeatureInfo(XgbHandle handle, const char *field, const char **features, uint64_t size)');
  const boosterFree = f('int XGBoosterFree(XgbHandle handle)');
  const setParam = f('int XGBoosterSetParam(XgbHandle handle, const char *name, const char *value)');
  const updateOneIter = f('int XGBoosterUpdateOneIter(XgbHandle handle, int iter, XgbHandle dtrain)');
  const evalOneIter = f('int XGBoosterEvalOneIter(XgbHandle handle, int iter, XgbHandle *dmats, const char **evnames, uint64_t len, _Out_ const char **out)');
  const predict = f('int XGBoosterPredict(XgbHandle handle, XgbHandle dmat, int option_mask, uint32_t ntree_limit, int training, _Out_ uint64_t *out_len, _Out_ void **out_result)');
  const slice = f('int XGBoosterSlice(XgbHandle handle, int begin_layer, int end_layer, int step, _Out_ XgbHandle *out)');
  const setAttr = f('int XGBoosterSetAttr(XgbHandle handle, const char *key, const char *value)');
  const saveToBuffer = f('int XGBoosterSaveModelToBuffer(XgbHandle handle, const char *json_config, _Out_ uint64_t *out_len, _Out_ void **out_dptr)');
  const loadFromBuffer = f('int XGBoosterLoadModelFromBuffer(XgbHandle handle, const void *buf, uint64_t len)');

  const check = (rc: number, call: string) => {
    if (rc !== 0) throw new MlEngineError(`XGBoost ${call} failed: ${String(lastError()).trim().split('\n').pop() ?? ''}`);
  };
  const major = [0];
  const minor = [0];
  const patch = [0];
  versionOf(major, minor, patch);

  return {
    version: `${major[0]}.${minor[0]}.${patch[0]}`,
    createMatrix(values, rows, cols) {
      const out: unknown[] = [null];
      check(createFromMat(values, rows, cols, NaN, out), 'XGDMatrixCreateFromMat');
      return out[0];
    },
    setLabels(matrix, labels) {
      check(setFloatInfo(matrix, 'label', labels, labels.length), 'XGDMatrixSetFloatInfo(label)');
    },
    setFeatureNames(matrix, names) {
      check(setStrFeatureInfo(matrix, 'feature_name', [...names], names.length), 'XGDMatrixSetStrFeatureInfo(feature_name)');
    },
    freeMatrix(matrix) {
      check(matrixFree(matrix), 'XGDMatrixFree');
    },
    createBooster(cache) {
      const out: unknown[] = [null];
      check(boosterCreate([...cache], cache.length, out), 'XGBoosterCreate');
      return out[0];
    },
    setParam(booster, name, value) {
      check(setParam(booster, name, value), `XGBoosterSetParam(${name})`);
    },
    setBoosterFeatureNames(booster, names) {
      check(boosterSetStrFeatureInfo(booster, 'feature_name', [...names], names.length), 'XGBoosterSetStrFeatureInfo(feature_name)');
    },
    updateOneIter(booster, iteration, train) {
      check(updateOneIter(booster, iteration, train), 'XGBoosterUpdateOneIter');
    },
    evalOneIter(booster, iteration, matrices, names) {
      const out: unknown[] = [null];
      check(evalOneIter(booster, iteration, [...matrices], [...names], matrices.length, out), 'XGBoosterEvalOneIter');
      return String(out[0]);
    },
    predict(booster, matrix, contributions) {
      const len: bigint[] = [0n];
      const out: unknown[] = [null];
      check(predict(booster, matrix, contributions ? PRED_CONTRIBS : 0, 0, 0, len, out), 'XGBoosterPredict');
      const count = Number(len[0]);
      // The result buffer belongs to the booster and is reused by its next call: copy it now.
      return count === 0 ? new Float32Array(0) : new Float32Array(koffi.view(out[0], count * 4).slice(0));
    },
    slice(booster, begin, end) {
      const out: unknown[] = [null];
      check(slice(booster, begin, end, 1, out), 'XGBoosterSlice');
      return out[0];
    },
    setAttr(booster, key, value) {
      check(setAttr(booster, key, value), 'XGBoosterSetAttr');
    },
    saveModelJson(booster) {
      const len: bigint[] = [0n];
      const out: unknown[] = [null];
      check(saveToBuffer(booster, '{"format":"json"}', len, out), 'XGBoosterSaveModelToBuffer');
      return Buffer.from(koffi.view(out[0], Number(len[0]))).toString('utf8');
    },
    loadModelJson(booster, json) {
      const bytes = Buffer.from(json, 'utf8');
      check(loadFromBuffer(booster, bytes, bytes.length), 'XGBoosterLoadModelFromBuffer');
    },
    freeBooster(booster) {
      check(boosterFree(booster), 'XGBoosterFree');
    },
    crashForTest() {
      matrixFreeRaw(16);
    },
  };
}
