import { describe, expect, it } from 'vitest';
import { artifactUploadPath, encodeArtifactPath } from './mlflow-artifact-path.js';
import { MlflowError } from './mlflow-error.js';

const RUN = '1/4f2a9c/artifacts';

describe('artifactUploadPath', () => {
  it("maps MLflow's artifact proxy locations to the proxy's REST path", () => {
    expect(artifactUploadPath(`mlflow-artifacts:/${RUN}`, 'http://127.0.0.1:5000')).toBe(`/api/2.0/mlflow-artifacts/artifacts/${RUN}`);
    expect(artifactUploadPath(`mlflow-artifacts://mlflow.internal:5000/${RUN}/`, 'http://mlflow.internal:5000')).toBe(`/api/2.0/mlflow-artifacts/artifacts/${RUN}`);
    expect(artifactUploadPath(`http://mlflow.internal/ml/api/2.0/mlflow-artifacts/artifacts/${RUN}`, 'http://mlflow.internal/ml')).toBe(
      `/api/2.0/mlflow-artifacts/artifacts/${RUN}`,
    );
  });

  it('refuses a local path or a bucket, saying to start MLflow with artifact serving', () => {
    for (const uri of [`/srv/mlruns/${RUN}`, `file:///srv/mlruns/${RUN}`, `s3://bucket/${RUN}`, `./mlruns/${RUN}`]) {
      const error = catchError(() => artifactUploadPath(uri, 'http://127.0.0.1:5000'));
      expect(error).toBeInstanceOf(MlflowError);
      expect(error.message).toBe(`MLflow gave the run the artifact location ${uri}, which gmp cannot upload to over HTTP: start MLflow with artifact serving (mlflow server --serve-artifacts)`);
    }
  });

  it('refuses a proxy on another host than the tracking server', () => {
    expect(catchError(() => artifactUploadPath(`mlflow-artifacts://elsewhere:5000/${RUN}`, 'http://127.0.0.1:5000')).message).toMatch(/on another host/);
  });
});

describe('encodeArtifactPath', () => {
  it('encodes each segment of a relative path', () => {
    expect(encodeArtifactPath('model/model.json')).toBe('model/model.json');
    expect(encodeArtifactPath('plots/feature importance #1.png')).toBe('plots/feature%20importance%20%231.png');
  });

  it('refuses a path that would leave the run\'s artifact folder or is not relative', () => {
    for (const bad of ['../other-run/model.json', 'model/../../x', '/etc/passwd', 'model//x', './model.json', '']) {
      expect(() => encodeArtifactPath(bad)).toThrow(MlflowError);
    }
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}
