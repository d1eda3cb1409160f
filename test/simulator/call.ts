import { DEFAULT_TOKEN, type PodSimulator } from './index';

/** Sends one raw HTTP request to the simulator, as a pod client would, and reads the answer. */
export async function call(sim: PodSimulator, method: string, path: string, body?: string, token: string | null = DEFAULT_TOKEN) {
	const response = await fetch(`${sim.url}${path}`, {
		method,
		body,
		headers: { ...(token !== null && { sessionToken: token }), ...(body !== undefined && { 'Content-Type': 'application/json' }) },
	});
	const text = await response.text();
	let json: Record<string, unknown> | undefined;
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		json = undefined;
	}
	return { status: response.status, text, json, headers: response.headers };
}
