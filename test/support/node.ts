import type { INode } from 'n8n-workflow';

/** A node of `type` standing alone, for code that only needs a node to name in its errors. */
export function testNode(type: string, name: string): INode {
	return { id: name, name, type, typeVersion: 1, position: [0, 0], parameters: {} };
}
