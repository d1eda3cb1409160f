import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
} from 'n8n-workflow';

/**
 * Behaves like n8n's real credentials helper (packages/cli/src/credentials-helper.ts) where the
 * package depends on it: generic `authenticate` expressions are resolved against the credential,
 * `preAuthentication` runs for a hidden expirable field when it is empty, expired (after a 401)
 * or under a credential test, and the minted value is persisted so the next execution reuses it.
 * n8n's own test helper stubs these, which would leave token minting and the 401 retry untested.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** Stored credential data per type, as n8n's database would hold it. */
	readonly store = new Map<string, ICredentialDataDecryptedObject>();
	/** How often `preAuthentication` was invoked per type (= logins). */
	readonly preAuthCalls = new Map<string, number>();
	/** How often n8n read (decrypted) a credential, and applied its `authenticate` rules, per type. */
	readonly reads = new Map<string, number>();
	readonly authentications = new Map<string, number>();

	constructor(private readonly types: Record<string, ICredentialType>) {
		super();
	}

	setCredentials(type: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(type, { ...data });
	}

	private type(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		this.authentications.set(typeName, (this.authentications.get(typeName) ?? 0) + 1);
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			const resolve = (value: string) =>
				value.startsWith('=')
					? String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '') ?? '')
					: value;
			requestOptions.headers ??= {};
			for (const [outerKey, inner] of Object.entries(authenticate.properties)) {
				const target = ((requestOptions as unknown as Record<string, Record<string, string>>)[outerKey] ??= {});
				for (const [key, value] of Object.entries(inner as Record<string, string>)) {
					target[resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const isCredentialTest = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isCredentialTest) return undefined;

		this.preAuthCalls.set(typeName, (this.preAuthCalls.get(typeName) ?? 0) + 1);
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) this.store.set(typeName, { ...this.store.get(typeName), ...output } as ICredentialDataDecryptedObject);
		return Object.assign(credentials, output);
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('Not used by the test harness');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store.get(type);
		if (!data) throw new Error(`No test credentials of type ${type}`);
		this.reads.set(type, (this.reads.get(type) ?? 0) + 1);
		// Defaults first, as n8n applies them to stored data.
		const defaults = Object.fromEntries(
			this.type(type)
				.properties.filter((p) => p.default !== undefined && p.type !== 'notice')
				.map((p) => [p.name, p.default]),
		) as ICredentialDataDecryptedObject;
		return { ...defaults, ...data };
	}

	async updateCredentials(_details: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.set(type, { ...data });
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.type(type).properties;
	}
}
