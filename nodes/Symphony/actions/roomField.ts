import type { IExecuteFunctions, INodeExecutionData, INodeParameterResourceLocator } from 'n8n-workflow';

import { ROOM_LOCATOR_MODE_LABELS } from '../descriptions/rooms';
import { ParameterError } from '../errors';
import { parseStreamId } from '../helpers/streamIds';
import { itemParameterReader } from './itemParameter';

/**
 * For each item, the URL-safe stream ID of the room its "Room" locator names (descriptions/rooms.ts),
 * checked under the mode's label ("Room (By ID)"). A plain string stands for By ID. Throws a
 * ParameterError for the item when the value is not a stream ID.
 */
export function roomStreamIdReader(context: IExecuteFunctions, items: INodeExecutionData[], parameter = 'room'): (itemIndex: number) => string {
	const read = itemParameterReader(context, items, parameter);
	return (itemIndex) => {
		const raw = read(itemIndex);
		if (typeof raw === 'string') return parseStreamId('Room (By ID)', raw);
		const locator = raw as INodeParameterResourceLocator | null;
		if (locator === null || typeof locator !== 'object' || !('value' in locator)) {
			throw new ParameterError('Room', raw, 'is not a room picked in the Room field', 'Pick a room From List, or enter its stream ID By ID');
		}
		const label = ROOM_LOCATOR_MODE_LABELS[String(locator.mode)];
		if (label === undefined) throw new ParameterError('Room', locator.mode, 'is not one of the modes', 'Pick From List or By ID');
		return parseStreamId(`Room (${label})`, locator.value);
	};
}
