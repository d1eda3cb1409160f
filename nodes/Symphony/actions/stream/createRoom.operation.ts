import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { changeRoomMembership, createRoom, roomToJson, type NewRoom, type Room } from '../../api/rooms';
import { requestOptionsCollection } from '../../descriptions/requestOptions';
import { updateDisplayOptions } from '../../descriptions/updateDisplayOptions';
import { SymphonyApiError } from '../../errors';
import { parseFlag, parseKeywords, parseOptionalText, parseRequiredText } from '../../helpers/rooms';
import { parseUserIds } from '../../helpers/userIds';
import type { SymphonyClient } from '../../transport';
import { itemParameterReader } from '../itemParameter';
import { ItemFailure, readEachItem, toOutputItems, type ItemOutcome } from '../itemRunner';

/** The yes/no settings of a new room: parameter (Symphony's attribute) and label. */
const FLAGS: Array<[keyof NewRoom & string, string]> = [
	['copyProtected', 'Copy Protected'],
	['crossPod', 'Cross-Pod'],
	['discoverable', 'Discoverable'],
	['membersCanInvite', 'Members Can Invite'],
	['public', 'Public'],
	['readOnly', 'Read Only'],
	['viewHistory', 'View History'],
];

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. EMEA Rates Desk',
		description: 'The room\'s name, as members see it',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'e.g. Rates questions for the EMEA desk',
		description: 'What the room is for, shown in its details',
	},
	{
		displayName: 'Members',
		name: 'members',
		type: 'string',
		default: '',
		placeholder: 'e.g. 7215545078541, 7215545078461',
		description:
			'Symphony user IDs of the people to add once the room exists, one request each: one, or many separated by commas, spaces or new lines. The account itself is the room\'s owner and first member.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Copy Protected',
				name: 'copyProtected',
				type: 'boolean',
				default: false,
				description: 'Whether members are kept from copying messages out of the room',
			},
			{
				displayName: 'Cross-Pod',
				name: 'crossPod',
				type: 'boolean',
				default: false,
				description: 'Whether people at other firms may join the room',
			},
			{
				displayName: 'Discoverable',
				name: 'discoverable',
				type: 'boolean',
				default: false,
				description: 'Whether people who are not members can find the room by searching',
			},
			{
				displayName: 'Keywords',
				name: 'keywords',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add Keyword',
				description: 'Key and value pairs describing the room, found by room search',
				options: [
					{
						displayName: 'Keyword',
						name: 'keyword',
						values: [
							{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: 'e.g. region' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: 'e.g. EMEA' },
						],
					},
				],
			},
			{
				displayName: 'Members Can Invite',
				name: 'membersCanInvite',
				type: 'boolean',
				default: false,
				description: 'Whether members who are not owners may add people',
			},
			{
				displayName: 'Public',
				name: 'public',
				type: 'boolean',
				default: false,
				description: 'Whether anyone on the pod may join the room without being added',
			},
			{
				displayName: 'Read Only',
				name: 'readOnly',
				type: 'boolean',
				default: false,
				description: 'Whether only owners may post in the room',
			},
			{
				displayName: 'View History',
				name: 'viewHistory',
				type: 'boolean',
				default: false,
				description: 'Whether new members see the messages sent before they joined',
			},
		],
	},
	requestOptionsCollection,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['stream'], operation: ['createRoom'] } },
	properties,
);

interface CreateRoomInput {
	room: NewRoom;
	members: string[];
}

function readAdditionalFields(value: unknown): Omit<NewRoom, 'name' | 'description'> {
	const fields = (value ?? {}) as IDataObject;
	const settings: Omit<NewRoom, 'name' | 'description'> = {};
	for (const [key, label] of FLAGS) {
		const flag = parseFlag(label, fields[key]);
		if (flag !== undefined) (settings as Record<string, unknown>)[key] = flag;
	}
	const keywords = parseKeywords('Keywords', fields.keywords);
	return keywords === undefined ? settings : { ...settings, keywords };
}

/**
 * The room was made, so the item must not be run again as it is (that would make a second room):
 * a member's failure names the new room and how to add the rest.
 */
function memberNotAdded(error: unknown, streamId: string, added: string[]): unknown {
	if (!(error instanceof SymphonyApiError)) return error;
	const done = added.length === 0 ? 'no member was added yet' : `${added.join(', ')} ${added.length === 1 ? 'was' : 'were'} added`;
	return new SymphonyApiError(error.node, {
		...error.report,
		description: `The room was created (stream ID ${streamId}) and ${done}. Add the others with Stream → Add Member: running Create Room again would create a second room. ${error.report.description}`,
	});
}

/** The room of one item and its members: the room's outcome first, then one error per member not added. */
async function createWithMembers(client: SymphonyClient, { room, members }: CreateRoomInput, item: number): Promise<ItemOutcome[]> {
	let created: Room;
	try {
		created = await createRoom(client, room);
	} catch (error) {
		return [{ error, item }];
	}
	const added: string[] = [];
	const failures: Array<{ userId: string; error: unknown }> = [];
	let stopped: unknown;
	for (const userId of members) {
		// The account is the room's owner already.
		if (userId === created.creatorId) continue;
		if (stopped !== undefined) {
			failures.push({ userId, error: stopped });
			continue;
		}
		try {
			await changeRoomMembership(client, created.streamId, userId, 'add');
			added.push(userId);
		} catch (error) {
			failures.push({ userId, error });
			// A refusal of the room or the account (not of this person) would be the same for the others.
			if (!(error instanceof SymphonyApiError && error.isValueRefusal)) stopped = error;
		}
	}
	return [
		{ json: { ...roomToJson(created), addedUserIds: added }, items: [item] },
		...failures.map(({ userId, error }) => ({ error: memberNotAdded(error, created.streamId, added), item, json: { streamId: created.streamId, userId } })),
	];
}

/**
 * Creates one room per item (POST /pod/v3/room/create, never repeated by a retry), then adds its
 * members one request each (POST /pod/v1/room/{id}/membership/add). Every item's name, settings
 * and member IDs are checked before anything is sent. The room is the item's output even when a
 * member is refused; each member not added is an error item of its own, naming the new room.
 * Under Stop Workflow nothing is sent when an item is invalid, and nothing after a failure.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
): Promise<INodeExecutionData[]> {
	const readName = itemParameterReader(this, items, 'name', '');
	const readDescription = itemParameterReader(this, items, 'description', '');
	const readMembers = itemParameterReader(this, items, 'members', '');
	const readFields = itemParameterReader(this, items, 'additionalFields', {});
	const inputs = readEachItem(items.length, (item): CreateRoomInput => {
		const name = parseRequiredText('Name', readName(item), 'Enter the room\'s name, e.g. EMEA Rates Desk');
		const roomDescription = parseOptionalText('Description', readDescription(item));
		const rawMembers = readMembers(item);
		const members = rawMembers === undefined || rawMembers === null || rawMembers === '' ? [] : parseUserIds('Members', rawMembers);
		return { room: { name, ...(roomDescription !== undefined && { description: roomDescription }), ...readAdditionalFields(readFields(item)) }, members };
	});
	// Stop Workflow: a failed item ends the run before any room is made or after the one that failed,
	// so running the workflow again once it is fixed makes no room twice.
	const stopAtFailure = !this.continueOnFail();
	const invalid = inputs.findIndex((input) => input instanceof ItemFailure);
	if (stopAtFailure && invalid >= 0) return toOutputItems(this, [{ error: (inputs[invalid] as ItemFailure).error, item: invalid }]);
	// One room at a time, in item order.
	const outcomes: ItemOutcome[] = [];
	for (const [item, input] of inputs.entries()) {
		outcomes.push(...(input instanceof ItemFailure ? [{ error: input.error, item }] : await createWithMembers(client, input, item)));
		if (stopAtFailure && outcomes.some((outcome) => 'error' in outcome)) break;
	}
	return toOutputItems(this, outcomes);
}
