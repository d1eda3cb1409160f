import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { toNodeError } from '../errors';
import { mapConcurrent } from '../helpers/batching';

/**
 * The only place that deals with item bookkeeping: pairing outputs to inputs, attaching the item
 * index to errors, and Continue On Fail. Operations describe what came of each item; this turns it
 * into n8n's output.
 */

/** One output item: a result paired to every input item it came from, or an error for one item. */
export type ItemOutcome =
	| { json: IDataObject; items: number[] }
	| { error: unknown; item: number; json?: IDataObject };

/**
 * An error item. Under "Continue (using error output)" n8n moves an item to the error output only
 * when its json holds `error` and at most `message` besides (n8n 1.x and 2.x alike; an `error` set
 * on the item itself would move it too, but n8n then cuts its json down to the message): there
 * `error` is what went wrong and `message` what to do, and n8n adds the fields of the input item
 * it came from. On the regular output the item keeps the fields naming the user it is about.
 */
function errorItem(context: IExecuteFunctions, error: NodeApiError | NodeOperationError, item: number, json?: IDataObject): INodeExecutionData {
	if (context.getNode().onError === 'continueErrorOutput') {
		return { json: { error: error.message, ...(error.description && { message: error.description }) }, pairedItem: { item } };
	}
	return {
		json: { ...json, error: error.message, ...(error.description && { description: error.description }) },
		pairedItem: { item },
	};
}

/**
 * Whether the node runs as an AI Agent's tool (n8n names the tool's node type `<type>Tool`). There
 * an item's error is the tool's result, so that the model reads what was wrong and can call again:
 * a thrown error would reach n8n's Agent 2.x as an empty result (docs/ai-agent.md).
 */
export function runsAsTool(context: IExecuteFunctions): boolean {
	const { type } = context.getNode();
	return typeof type === 'string' && type.endsWith('Tool');
}

/**
 * Turns outcomes into the node's output. Without Continue On Fail the first error stops the node,
 * except as an AI Agent's tool, where errors become items the model reads.
 */
export function toOutputItems(context: IExecuteFunctions, outcomes: ItemOutcome[]): INodeExecutionData[] {
	const continueOnFail = context.continueOnFail() || runsAsTool(context);
	const output: INodeExecutionData[] = [];
	for (const outcome of outcomes) {
		if ('error' in outcome) {
			const error = toNodeError(context.getNode(), outcome.error, outcome.item);
			if (!continueOnFail) throw error;
			output.push(errorItem(context, error, outcome.item, outcome.json));
		} else {
			const [first, ...more] = outcome.items;
			output.push({
				json: outcome.json,
				pairedItem: more.length === 0 ? { item: first } : outcome.items.map((item) => ({ item })),
			});
		}
	}
	return output;
}

/** Reads each item's parameters; an item whose parameters are bad becomes its error, the rest go on. */
export function readEachItem<T>(
	count: number,
	read: (itemIndex: number) => T,
): Array<T | ItemFailure> {
	const values: Array<T | ItemFailure> = [];
	for (let i = 0; i < count; i++) {
		try {
			values.push(read(i));
		} catch (error) {
			values.push(new ItemFailure(error));
		}
	}
	return values;
}

/** Marks an item whose parameters could not be read. */
export class ItemFailure {
	constructor(readonly error: unknown) {}
}

/**
 * Runs `work` for every readable item with at most `concurrency` in flight. Outputs keep input
 * order; one item's failure becomes its error and never stops the others.
 */
export async function runEachItem<T>(
	context: IExecuteFunctions,
	inputs: Array<T | ItemFailure>,
	concurrency: number,
	work: (input: T, itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const perItem = await mapConcurrent(inputs, concurrency, async (input, item): Promise<ItemOutcome[]> => {
		if (input instanceof ItemFailure) return [{ error: input.error, item }];
		try {
			return (await work(input, item)).map((json) => ({ json, items: [item] }));
		} catch (error) {
			return [{ error, item }];
		}
	});
	return toOutputItems(context, perItem.flat());
}

/**
 * Reads what holds for all items at once (selectors and options, read at item 0). When it is bad,
 * nothing can run: `failed` is the node's output, every item carrying the same explanation.
 */
export function readForAllItems<T>(
	context: IExecuteFunctions,
	count: number,
	read: () => T,
): { value: T } | { failed: INodeExecutionData[] } {
	try {
		return { value: read() };
	} catch (error) {
		return { failed: failEveryItem(context, count, error) };
	}
}

/** When nothing can run (e.g. the credential is unusable): every item gets the same failure. */
export function failEveryItem(context: IExecuteFunctions, count: number, error: unknown): INodeExecutionData[] {
	return toOutputItems(
		context,
		Array.from({ length: Math.max(count, 1) }, (_, item) => ({ error, item })),
	);
}
