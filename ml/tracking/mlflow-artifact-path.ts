import { MlflowError } from './mlflow-error.js';

const PROXY_PATH = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * The path, under the tracking URI, that a run's artifacts are PUT below: MLflow's artifact proxy
 * (`mlflow-artifacts:/<exp>/<run>/artifacts` → `/api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts`).
 * Throws MlflowError (CONFIG_INVALID) for any other artifact location, such as the local path a
 * server without artifact serving gives, which only a process on the server's machine could write.
 */
export function artifactUploadPath(artifactUri: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const proxied = /^mlflow-artifacts:(?:\/\/([^/]*))?(\/.*)?$/.exec(artifactUri);
  if (proxied) {
    const [, host, path = '/'] = proxied;
    if (host && host !== base.host) {
      throw new MlflowError('CONFIG_INVALID', `MLflow gave the run the artifact location ${artifactUri}, on another host than the tracking server ${baseUrl}`, {
        hint: 'gmp uploads artifacts through the tracking server itself: serve them from it (mlflow server --serve-artifacts)',
      });
    }
    return PROXY_PATH + path.replace(/\/+$/, '');
  }
  if (/^https?:\/\//.test(artifactUri)) {
    const url = new URL(artifactUri);
    const path = url.pathname.replace(/\/+$/, '');
    if (url.host === base.host && path.startsWith(basePath + PROXY_PATH)) return path.slice(basePath.length);
  }
  throw new MlflowError('CONFIG_INVALID', `MLflow gave the run the artifact location ${artifactUri}, which gmp cannot upload to over HTTP: start MLflow with artifact serving (mlflow server --serve-artifacts)`, {
    hint: 'serve artifacts (mlflow server --serve-artifacts --artifacts-destination <folder or bucket>) and mirror into an experiment created while they were served: its artifact location starts with mlflow-artifacts:/',
  });
}

/** `model/model.json` → `model/model.json`, each segment URL-encoded; throws unless a plain relative path. */
export function encodeArtifactPath(path: string): string {
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new MlflowError('CONFIG_INVALID', `artifact path ${JSON.stringify(path)} is not a relative path inside the run's artifact folder`);
  }
  return segments.map(encodeURIComponent).join('/');
}
