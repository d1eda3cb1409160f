/** Pure batching helpers: no `this`, no I/O of their own. */

export function chunk<T>(values: readonly T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
	return chunks;
}

/** Merges per-item lists into one de-duplicated list, remembering which items named each value. */
export function mergeWithSources(perItem: ReadonlyArray<readonly string[] | undefined>): {
	values: string[];
	sources: Map<string, number[]>;
} {
	const sources = new Map<string, number[]>();
	perItem.forEach((values, itemIndex) => {
		for (const value of values ?? []) {
			const items = sources.get(value);
			if (!items) sources.set(value, [itemIndex]);
			else if (items[items.length - 1] !== itemIndex) items.push(itemIndex);
		}
	});
	return { values: [...sources.keys()], sources };
}

/**
 * Runs `task` over `inputs` with at most `limit` in flight; results keep input order.
 * A rejected task rejects the whole map, so tasks should settle their own failures.
 */
export async function mapConcurrent<T, R>(
	inputs: readonly T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), inputs.length) }, worker));
	return results;
}

/**
 * Like `mapConcurrent`, but starts no further task once `mayStart()` answers false: inputs not
 * started have no result. The first always starts, so every call makes progress.
 */
export async function mapConcurrentWhile<T, R>(
	inputs: readonly T[],
	limit: number,
	mayStart: () => boolean,
	task: (input: T, index: number) => Promise<R>,
): Promise<Array<R | undefined>> {
	const results = new Array<R | undefined>(inputs.length).fill(undefined);
	const width = Math.min(Math.max(1, limit), inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length && (next === 0 || mayStart())) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	};
	await Promise.all(Array.from({ length: width }, worker));
	return results;
}

export interface IsolationResult<E> {
	accepted: string[];
	refused: Array<{ value: string; error: E }>;
	/** Requests made, including the first. */
	requests: number;
}

/**
 * Sends a batch; when the whole batch is refused for something one value can cause (e.g. an unknown
 * user ID), isolates the refused values and still sends the good ones. If the refusal names values
 * of the batch (`suspectsOf`), those are set aside and the rest go again in one request; otherwise,
 * or if that fails too, the batch is split in halves until the refused values stand alone.
 * Errors that are not about the values (401, 5xx after retries) stop everything.
 */
export async function sendIsolatingRefusals<E>(
	values: readonly string[],
	send: (batch: readonly string[]) => Promise<void>,
	isValueRefusal: (error: unknown) => error is E,
	suspectsOf: (error: E) => string[] = () => [],
): Promise<IsolationResult<E>> {
	const result: IsolationResult<E> = { accepted: [], refused: [], requests: 0 };
	const attempt = async (batch: readonly string[], trustSuspects = true): Promise<void> => {
		result.requests++;
		const refusal = await send(batch).then(
			() => undefined,
			(error: unknown) => ({ error }),
		);
		if (refusal === undefined) {
			result.accepted.push(...batch);
			return;
		}
		const { error } = refusal;
		// Failures that are not about the values are the caller's to report, unchanged.
		if (!isValueRefusal(error)) throw error;
		if (batch.length === 1) {
			result.refused.push({ value: batch[0], error });
			return;
		}
		const inBatch = new Set(batch);
		const suspects = new Set(trustSuspects ? suspectsOf(error).filter((value) => inBatch.has(value)) : []);
		if (suspects.size > 0 && suspects.size < batch.length) {
			for (const value of suspects) result.refused.push({ value, error });
			await attempt(batch.filter((value) => !suspects.has(value)), false);
			return;
		}
		const middle = Math.ceil(batch.length / 2);
		await attempt(batch.slice(0, middle));
		await attempt(batch.slice(middle));
	};
	if (values.length > 0) await attempt(values);
	return result;
}
