import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubernetesTarget {
  host?: string;
  port?: string;
  deployment: string;
  /** Where the service account is mounted (tests point it elsewhere). */
  serviceAccountDir?: string;
}

/**
 * Reads and sets the replica count of one Deployment through the Kubernetes API's scale subresource, with the pod's
 * service account. deploy/base/aiops-rbac.yaml grants exactly get and patch on deployments/scale of that Deployment.
 */
export class KubernetesScaler {
  private readonly dir: string;

  constructor(private readonly target: KubernetesTarget) {
    this.dir = target.serviceAccountDir ?? SERVICE_ACCOUNT;
  }

  /** Why scaling is not possible here, or null when it is. */
  unavailableReason(): string | null {
    if (!this.target.host) return 'not running in a Kubernetes cluster (KUBERNETES_SERVICE_HOST is not set)';
    if (!existsSync(`${this.dir}/token`)) return 'no service-account token is mounted';
    return null;
  }

  async replicas(): Promise<number> {
    const scale = (await this.call('GET')) as { spec?: { replicas?: number } };
    return scale.spec?.replicas ?? 0;
  }

  async scaleTo(replicas: number): Promise<number> {
    const scale = (await this.call('PATCH', { spec: { replicas } })) as { spec?: { replicas?: number } };
    return scale.spec?.replicas ?? replicas;
  }

  /** A refusal in words: what is missing (RBAC, the Deployment, a valid token) rather than the status code alone. */
  private explain(status: number, method: 'GET' | 'PATCH', namespace: string, text: string): string {
    let message = text.slice(0, 200);
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not a Status object: keep the text
    }
    const what = `deployments/${this.target.deployment}/scale in namespace ${namespace}`;
    if (status === 401) return `Kubernetes answered 401: the service-account token was not accepted (${message})`;
    if (status === 403)
      return `Kubernetes answered 403: the service account may not ${method === 'GET' ? 'get' : 'patch'} ${what} (RBAC of deploy/base/aiops-rbac.yaml missing or changed): ${message}`;
    if (status === 404)
      return `Kubernetes answered 404: there is no Deployment ${this.target.deployment} in namespace ${namespace} (AIOPS_WORKER_DEPLOYMENT): ${message}`;
    return `Kubernetes answered ${status}: ${message}`;
  }

  private call(method: 'GET' | 'PATCH', body?: unknown): Promise<unknown> {
    const namespace = readFileSync(`${this.dir}/namespace`, 'utf8').trim();
    const token = readFileSync(`${this.dir}/token`, 'utf8').trim();
    const ca = existsSync(`${this.dir}/ca.crt`) ? readFileSync(`${this.dir}/ca.crt`) : undefined;
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments/${encodeURIComponent(this.target.deployment)}/scale`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.target.host,
          port: Number(this.target.port ?? 443),
          path,
          method,
          ca,
          timeout: 5000,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/merge-patch+json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 500;
            if (status >= 300) return reject(new Error(this.explain(status, method, namespace, text)));
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new Error('Kubernetes answered with something that is not JSON'));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('Kubernetes did not answer within 5 s')));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }
}
