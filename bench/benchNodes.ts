/* eslint-disable @n8n/community-nodes/no-deprecated-workflow-functions -- development code: runs in Node, never packed; the baseline reproduces the HTTP Request node, legacy helper included */
import {
	NodeApiError,
	sleep,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type INodeExecutionData,
	type INodeType,
	type IRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { nodeTypeClasses } from '../test/harness';
import { testNodeDescription } from '../test/harness/testNodes';

/**
 * Node types that exist only in bench runs, added to the harness's node types at bench time.
 *
 * The baseline: how a presence task is done in n8n without this package. n8n's HTTP Request node
 * (nodes-base HttpRequestV3) sends one request per item through n8n's `requestWithAuthentication`
 * helper. With default options it starts every item's request without waiting for the previous
 * one and waits for all at the end; its Batching option sleeps between groups of items. This node
 * does the same with the same helper, so the baseline runs as a real workflow execution too.
 * `oneAtATime` is the other common setup: one item per round (Loop Over Items → HTTP Request).
 */

export const PER_ITEM_REQUEST_TYPE = 'bench.perItemRequest';

export type Pacing = 'allAtOnce' | 'batched' | 'oneAtATime';

class PerItemRequestNode implements INodeType {
	description = testNodeDescription({
		displayName: 'Request per Item',
		name: 'perItemRequest',
		description: 'One HTTP request per item, as the HTTP Request node sends them',
		credentials: [{ name: 'symphonyApi', required: true }],
		properties: [
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'JSON Body', name: 'jsonBody', type: 'string', default: '' },
			{ displayName: 'Pacing', name: 'pacing', type: 'string', default: 'allAtOnce' },
			{ displayName: 'Items per Batch', name: 'batchSize', type: 'number', default: 50 },
			{ displayName: 'Batch Interval (ms)', name: 'batchInterval', type: 'number', default: 1000 },
		],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const pacing = this.getNodeParameter('pacing', 0) as Pacing;
		const batchSize = this.getNodeParameter('batchSize', 0) as number;
		const batchInterval = this.getNodeParameter('batchInterval', 0) as number;
		const pending: Array<Promise<unknown>> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			// As the HTTP Request node: credential, URL and body are read for every item.
			await this.getCredentials('symphonyApi', itemIndex);
			const method = this.getNodeParameter('method', itemIndex) as IHttpRequestMethods;
			const url = this.getNodeParameter('url', itemIndex) as string;
			const jsonBody = this.getNodeParameter('jsonBody', itemIndex, '') as string;
			if (pacing === 'batched' && itemIndex > 0 && itemIndex % batchSize === 0) await sleep(batchInterval);
			const options: IRequestOptions = {
				method,
				uri: url,
				headers: { accept: 'application/json,text/*;q=0.99' },
				gzip: true,
				rejectUnauthorized: true,
				followRedirect: true,
				followAllRedirects: false,
				resolveWithFullResponse: true,
				timeout: 300_000,
				json: true,
				...(jsonBody !== '' && { body: JSON.parse(jsonBody) as unknown }),
			};
			const request = this.helpers.requestWithAuthentication.call(this, 'symphonyApi', options, undefined, itemIndex) as Promise<unknown>;
			request.catch(() => {});
			pending.push(request);
			if (pacing === 'oneAtATime') await request.catch(() => {});
		}
		const settled = await Promise.allSettled(pending);
		return [
			settled.map((outcome, itemIndex) => {
				if (outcome.status === 'rejected') {
					// As the HTTP Request node without Continue On Fail: the first failure stops the node.
					throw new NodeApiError(this.getNode(), outcome.reason as JsonObject, { itemIndex });
				}
				const response = outcome.value as { body: unknown };
				return { json: { response: response.body as JsonObject }, pairedItem: { item: itemIndex } };
			}),
		];
	}
}

export const READ_PARAMETER_TYPE = 'bench.readParameter';

/**
 * Reads one parameter for every item and does nothing else: what n8n itself spends evaluating a
 * mapped parameter such as {{ $json.userId }}, which any node reading it per item pays.
 */
class ReadParameterNode implements INodeType {
	description = testNodeDescription({
		displayName: 'Read Parameter',
		name: 'readParameter',
		description: 'Reads a parameter for every item',
		properties: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const count = this.getInputData().length;
		let characters = 0;
		for (let itemIndex = 0; itemIndex < count; itemIndex++) {
			characters += String(this.getNodeParameter('value', itemIndex)).length;
		}
		return [[{ json: { items: count, characters }, pairedItem: { item: 0 } }]];
	}
}

/** Makes the bench node types available to harness executions (bench runs only; the tests never see them). */
export function registerBenchNodes(): void {
	nodeTypeClasses[PER_ITEM_REQUEST_TYPE] = new PerItemRequestNode();
	nodeTypeClasses[READ_PARAMETER_TYPE] = new ReadParameterNode();
}
