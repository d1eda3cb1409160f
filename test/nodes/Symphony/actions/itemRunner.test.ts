import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

import {
	ItemFailure,
	failEveryItem,
	readEachItem,
	readForAllItems,
	runEachItem,
	toOutputItems,
	type ItemOutcome,
} from '../../../../nodes/Symphony/actions/itemRunner';
import { clientSettingsFromOptions } from '../../../../nodes/Symphony/transport/clientSettings';
import { chain, createHarness, nodeTypeClasses, type RunResult } from '../../../harness';
import { testNodeDescription } from '../../../harness/testNodes';

/**
 * The item runner's rules, through real n8n-core executions of a node that exists only here: its
 * `execute` calls the runner with scripted outcomes. onError.test.ts runs every operation under
 * every On Error setting; this pins the rules those rest on, with exact outputs.
 */

type Script = (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;

const PROBE_TYPE = 'test.itemRunnerProbe';
let script: Script = async () => [];

/** A node whose execution is the current test's script. */
class ProbeNode implements INodeType {
	description = testNodeDescription({
		displayName: 'Item Runner Probe',
		name: 'itemRunnerProbe',
		description: 'Runs the item runner with scripted outcomes',
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await script.call(this)];
	}
}

nodeTypeClasses[PROBE_TYPE] = new ProbeNode();
const harness = createHarness({});

async function runProbe(input: IDataObject[], onError: INode['onError'], probe: Script): Promise<RunResult> {
	script = probe;
	return await harness.run(chain([{ name: 'Probe', type: PROBE_TYPE, parameters: {}, onError }], input));
}

/** A failure as operations throw them: a message, and what to do about it. */
function failure(context: IExecuteFunctions, message: string, description?: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, description === undefined ? {} : { description });
}

/** What `clientSettingsFromOptions` throws for a timeout of 0: a ParameterError naming the field. */
const ZERO_TIMEOUT = {
	error: 'Timeout (Seconds): 0 is not a whole number from 1 to 300. Enter a number from 1 to 300',
	description: 'Enter a number from 1 to 300',
};

/**
 * Holds every call until `width` of them wait (fewer once the last items have started), then lets
 * the one started last finish: later items finish before earlier ones, in an order fixed without
 * timers. `peak` is the most calls that were running at once.
 */
function lastStartedFinishesFirst(width: number, total: number) {
	const waiting: Array<() => void> = [];
	const finished: number[] = [];
	let running = 0;
	let peak = 0;
	const releaseWhenAllWait = () => {
		if (waiting.length > 0 && waiting.length === Math.min(width, total - finished.length)) waiting.pop()!();
	};
	return {
		finished,
		peak: () => peak,
		async hold(item: number): Promise<void> {
			running++;
			peak = Math.max(peak, running);
			await new Promise<void>((resolve) => {
				waiting.push(resolve);
				releaseWhenAllWait();
			});
			running--;
			finished.push(item);
			releaseWhenAllWait();
		},
	};
}

const inputJson = (context: IExecuteFunctions) => context.getInputData().map((item) => item.json);

describe('item runner: pairing', () => {
	test('runEachItem: one output per input, each paired to its input', async () => {
		const result = await runProbe([{ n: 'a' }, { n: 'b' }, { n: 'c' }], undefined, async function () {
			const inputs = readEachItem(this.getInputData().length, (i) => inputJson(this)[i]);
			return await runEachItem(this, inputs, 2, async (json) => [{ echo: json.n }]);
		});
		expect(result.error).toBeUndefined();
		expect(result.items('Probe')).toEqual([
			{ json: { echo: 'a' }, pairedItem: { item: 0 } },
			{ json: { echo: 'b' }, pairedItem: { item: 1 } },
			{ json: { echo: 'c' }, pairedItem: { item: 2 } },
		]);
	});

	test('runEachItem: several outputs or none per input, each paired to the input it came from', async () => {
		const result = await runProbe([{ copies: 2 }, { copies: 0 }, { copies: 1 }], undefined, async function () {
			const inputs = readEachItem(this.getInputData().length, (i) => inputJson(this)[i]);
			return await runEachItem(this, inputs, 3, async (json, item) =>
				Array.from({ length: json.copies as number }, (_, copy) => ({ item, copy })),
			);
		});
		expect(result.items('Probe')).toEqual([
			{ json: { item: 0, copy: 0 }, pairedItem: { item: 0 } },
			{ json: { item: 0, copy: 1 }, pairedItem: { item: 0 } },
			{ json: { item: 2, copy: 0 }, pairedItem: { item: 2 } },
		]);
	});

	test('toOutputItems: one output for several inputs is paired to all of them, in the order given', async () => {
		const result = await runProbe([{ userId: '1' }, { userId: '2' }, { userId: '1' }], undefined, async function () {
			return toOutputItems(this, [
				{ json: { userId: '1' }, items: [0, 2] },
				{ json: { userId: '2' }, items: [1] },
			]);
		});
		expect(result.items('Probe')).toEqual([
			{ json: { userId: '1' }, pairedItem: [{ item: 0 }, { item: 2 }] },
			{ json: { userId: '2' }, pairedItem: { item: 1 } },
		]);
	});
});

describe('item runner: concurrency', () => {
	test('runEachItem keeps input order when later items finish first, with at most `concurrency` running', async () => {
		const calls = lastStartedFinishesFirst(3, 6);
		const input = Array.from({ length: 6 }, (_, n) => ({ n }));
		const result = await runProbe(input, undefined, async function () {
			const inputs = readEachItem(this.getInputData().length, (i) => inputJson(this)[i]);
			return await runEachItem(this, inputs, 3, async (json, item) => {
				await calls.hold(item);
				return [{ n: json.n }];
			});
		});
		expect(calls.finished).toEqual([2, 3, 4, 5, 1, 0]);
		expect(calls.peak()).toBe(3);
		expect(result.items('Probe')).toEqual(input.map((json, item) => ({ json, pairedItem: { item } })));
	});
});

describe('item runner: Stop Workflow (Continue On Fail off)', () => {
	test('the first failing item in input order stops the node with its item index, though a later one failed first; the others still ran', async () => {
		const calls = lastStartedFinishesFirst(4, 4);
		const result = await runProbe([{}, { fail: true }, {}, { fail: true }], undefined, async function () {
			const inputs = readEachItem(this.getInputData().length, (i) => inputJson(this)[i]);
			return await runEachItem(this, inputs, 4, async (json, item) => {
				await calls.hold(item);
				if (json.fail) throw failure(this, `Item ${item} failed`, 'Fix item');
				return [{ item }];
			});
		});
		expect(calls.finished).toEqual([3, 2, 1, 0]);
		expect(result.error?.message).toBe('Item 1 failed');
		expect(result.error?.description).toBe('Fix item');
		expect(result.error?.context.itemIndex).toBe(1);
		expect(result.items('Probe')).toEqual([]);
	});
});

describe('item runner: Continue (regular output)', () => {
	const input = [{ userId: '1', note: 'first' }, { userId: '2', note: 'second' }, { userId: '3', note: 'third' }];
	const outcomes = (context: IExecuteFunctions): ItemOutcome[] => [
		{ json: { userId: '1', category: 'AVAILABLE' }, items: [0] },
		{ error: failure(context, 'User 2 is unknown', 'Check the user ID'), item: 1, json: { userId: '2' } },
		{ error: failure(context, 'Item 3 failed'), item: 2 },
	];

	test('an error item is the fields the operation named, the error and its description, paired to its input', async () => {
		const result = await runProbe(input, 'continueRegularOutput', async function () {
			return toOutputItems(this, outcomes(this));
		});
		expect(result.error).toBeUndefined();
		expect(result.items('Probe', 1)).toEqual([]);
		expect(result.items('Probe')).toEqual([
			{ json: { userId: '1', category: 'AVAILABLE' }, pairedItem: { item: 0 } },
			{ json: { userId: '2', error: 'User 2 is unknown', description: 'Check the user ID' }, pairedItem: { item: 1 } },
			{ json: { error: 'Item 3 failed' }, pairedItem: { item: 2 } },
		]);
	});

	test('runEachItem: a failing item becomes its error item in its place; the others go on', async () => {
		const result = await runProbe([{ n: 0 }, { n: 1, fail: true }, { n: 2 }], 'continueRegularOutput', async function () {
			const inputs = readEachItem(this.getInputData().length, (i) => inputJson(this)[i]);
			return await runEachItem(this, inputs, 2, async (json, item) => {
				if (json.fail) throw failure(this, `Item ${item} failed`, 'Fix item');
				return [{ n: json.n }];
			});
		});
		expect(result.items('Probe')).toEqual([
			{ json: { n: 0 }, pairedItem: { item: 0 } },
			{ json: { error: 'Item 1 failed', description: 'Fix item' }, pairedItem: { item: 1 } },
			{ json: { n: 2 }, pairedItem: { item: 2 } },
		]);
	});
});

describe('item runner: Continue (using error output)', () => {
	test('error items go to the second output as {error, message}; n8n adds the fields of the input item', async () => {
		const input = [{ userId: '1', note: 'first' }, { userId: '2', note: 'second' }, { userId: '3', note: 'third' }];
		const result = await runProbe(input, 'continueErrorOutput', async function () {
			return toOutputItems(this, [
				{ json: { userId: '1', category: 'AVAILABLE' }, items: [0] },
				{ error: failure(this, 'User 2 is unknown', 'Check the user ID'), item: 1, json: { userId: '2', category: 'NONE' } },
				{ error: failure(this, 'Item 3 failed'), item: 2 },
			]);
		});
		expect(result.error).toBeUndefined();
		expect(result.items('Probe', 0)).toEqual([{ json: { userId: '1', category: 'AVAILABLE' }, pairedItem: { item: 0 } }]);
		// The fields the operation named stay behind (no `category: 'NONE'`): n8n moves only {error, message}.
		expect(result.items('Probe', 1)).toEqual([
			{ json: { userId: '2', note: 'second', error: 'User 2 is unknown', message: 'Check the user ID' }, pairedItem: { item: 1 } },
			{ json: { userId: '3', note: 'third', error: 'Item 3 failed' }, pairedItem: { item: 2 } },
		]);
	});
});

describe('item runner: readEachItem', () => {
	const input = [{ options: { timeoutSeconds: 5 } }, { options: { timeoutSeconds: 0 } }, { options: {} }];

	/** Reads each item's options, then runs the work; records which items were unreadable and which ran. */
	const readThenRun = (seen: { unreadable: number[]; worked: number[] }): Script =>
		async function () {
			const inputs = readEachItem(this.getInputData().length, (i) =>
				clientSettingsFromOptions('symphonyApi', inputJson(this)[i].options as IDataObject),
			);
			inputs.forEach((value, item) => value instanceof ItemFailure && seen.unreadable.push(item));
			return await runEachItem(this, inputs, 3, async (settings, item) => {
				seen.worked.push(item);
				return [{ timeoutMs: settings.timeoutMs }];
			});
		};

	test('a ParameterError for one item fails that item only; the work runs for the others', async () => {
		const seen = { unreadable: [], worked: [] };
		const result = await runProbe(input, 'continueRegularOutput', readThenRun(seen));
		expect(seen).toEqual({ unreadable: [1], worked: [0, 2] });
		expect(result.items('Probe')).toEqual([
			{ json: { timeoutMs: 5000 }, pairedItem: { item: 0 } },
			{ json: ZERO_TIMEOUT, pairedItem: { item: 1 } },
			{ json: { timeoutMs: 30_000 }, pairedItem: { item: 2 } },
		]);
	});

	test('without Continue On Fail, the unreadable item stops the node, naming the field and its index', async () => {
		const result = await runProbe(input, undefined, readThenRun({ unreadable: [], worked: [] }));
		expect([result.error?.message, result.error?.description, result.error?.context.itemIndex]).toEqual([
			ZERO_TIMEOUT.error,
			ZERO_TIMEOUT.description,
			1,
		]);
	});
});

describe('item runner: readForAllItems', () => {
	let reads = 0;
	const readTimeout = (options: IDataObject): Script =>
		async function () {
			reads = 0;
			const read = readForAllItems(this, this.getInputData().length, () => {
				reads++;
				return clientSettingsFromOptions('symphonyApi', options);
			});
			if ('failed' in read) return read.failed;
			return [{ json: { timeoutMs: read.value.timeoutMs }, pairedItem: { item: 0 } }];
		};

	test('a good value is read once, for all items', async () => {
		const result = await runProbe([{}, {}], undefined, readTimeout({ timeoutSeconds: 7 }));
		expect(reads).toBe(1);
		expect(result.items('Probe')).toEqual([{ json: { timeoutMs: 7000 }, pairedItem: { item: 0 } }]);
	});

	test('a bad value fails every item alike, each paired to its input', async () => {
		const result = await runProbe([{ n: 0 }, { n: 1 }, { n: 2 }], 'continueRegularOutput', readTimeout({ timeoutSeconds: 0 }));
		expect(reads).toBe(1);
		expect(result.items('Probe')).toEqual([0, 1, 2].map((item) => ({ json: ZERO_TIMEOUT, pairedItem: { item } })));
	});

	test('without Continue On Fail, a bad value stops the node at item 0', async () => {
		const result = await runProbe([{ n: 0 }, { n: 1 }], undefined, readTimeout({ timeoutSeconds: 0 }));
		expect([result.error?.message, result.error?.context.itemIndex]).toEqual([ZERO_TIMEOUT.error, 0]);
	});
});

describe('item runner: failEveryItem', () => {
	test('with no items there is still one error item, so the failure shows', async () => {
		const result = await runProbe([{ n: 0 }], 'continueRegularOutput', async function () {
			return failEveryItem(this, 0, failure(this, 'The credential is unusable', 'Open the credential'));
		});
		expect(result.items('Probe')).toEqual([
			{ json: { error: 'The credential is unusable', description: 'Open the credential' }, pairedItem: { item: 0 } },
		]);
	});

	test('under the error output, every item is there once with its own input fields', async () => {
		const result = await runProbe([{ n: 0 }, { n: 1 }], 'continueErrorOutput', async function () {
			return failEveryItem(this, this.getInputData().length, failure(this, 'The credential is unusable', 'Open the credential'));
		});
		expect(result.items('Probe', 0)).toEqual([]);
		expect(result.items('Probe', 1)).toEqual(
			[0, 1].map((n) => ({ json: { n, error: 'The credential is unusable', message: 'Open the credential' }, pairedItem: { item: n } })),
		);
	});
});
