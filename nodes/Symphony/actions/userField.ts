import type { IExecuteFunctions, INodeExecutionData, INodeParameterResourceLocator } from 'n8n-workflow';

import { resolveUsers, type ResolvedUser } from '../api/users';
import { VERSION_2 } from '../descriptions/nodeVersion';
import { LOCATOR_MODES, LOCATOR_MODE_LABELS, USER_PARAMETERS, type UserFieldShape } from '../descriptions/users';
import { ParameterError } from '../errors';
import { nameOfUserEntry } from '../helpers/userEntries';
import { parseIdentifyBy, parseUserRef, parseUserRefs, type IdentifyBy } from '../helpers/userRefs';
import type { SymphonyClient } from '../transport';
import { itemParameterReader } from './itemParameter';
import { ItemFailure, readEachItem } from './itemRunner';

/** Where an operation's users come from in this node: the kind of name, the parameter and its label. */
export interface UserField {
	identifyBy: IdentifyBy;
	parameter: string;
	label: string;
	/** Whether an item may name several users. */
	several: boolean;
	/** Locator mode the value must come in (version 2 on), else undefined. */
	mode?: string;
}

/**
 * Reads, once per execution, how the operation names its users: "Identify Users By" before
 * version 2 (or for list fields), the locator's mode after. Modes are not expressions, so item 0
 * holds for all items.
 */
export function readUserField(context: IExecuteFunctions, shape: UserFieldShape): UserField {
	const { several } = shape;
	if (shape.locator && context.getNode().typeVersion >= VERSION_2) {
		const locator = context.getNodeParameter('user', 0, undefined, { rawExpressions: true }) as INodeParameterResourceLocator | undefined;
		const mode = locator?.mode ?? 'id';
		const identifyBy = LOCATOR_MODES[mode];
		if (identifyBy === undefined) {
			throw new ParameterError('User', mode, 'is not one of the modes', 'Pick From List, By ID, By Email or By Username');
		}
		return { identifyBy, parameter: 'user', label: `User (${LOCATOR_MODE_LABELS[mode]})`, several, mode };
	}
	const identifyBy = parseIdentifyBy(context.getNodeParameter('identifyBy', 0, 'id'));
	const { one, oneLabel, many, manyLabel } = USER_PARAMETERS[identifyBy];
	return several ? { identifyBy, parameter: many, label: manyLabel, several } : { identifyBy, parameter: one, label: oneLabel, several };
}

/**
 * The one place every per-item user field is read: for each item, the value it names its user(s)
 * with, before parsing (for the locator, the value inside `{ __rl, mode, value }`). Reads go
 * through `itemParameterReader`, so `{{ $json.userId }}` costs a field access.
 */
function userValueReader(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	field: UserField,
): (itemIndex: number) => unknown {
	const read = itemParameterReader(context, items, field.parameter);
	if (field.mode === undefined) return read;
	return (itemIndex) => {
		const raw = read(itemIndex);
		const locator = raw as INodeParameterResourceLocator | null;
		if (locator === null || typeof locator !== 'object' || !('value' in locator)) {
			throw new ParameterError(field.label, raw, 'is not a user picked in the User field', 'Pick a user From List, or enter one By ID, By Email or By Username');
		}
		return locator.value;
	};
}

/**
 * For a user picked From List, the name the list showed (n8n keeps the picked entry as the
 * locator's `cachedResultName`); undefined in other modes, or when the value is an expression, so
 * an entry picked earlier never names another user.
 */
function pickedNameReader(context: IExecuteFunctions, field: UserField): (itemIndex: number) => string | undefined {
	if (field.mode !== 'list') return () => undefined;
	const raw = context.getNodeParameter(field.parameter, 0, undefined, { rawExpressions: true }) as INodeParameterResourceLocator | undefined;
	const value = raw?.value;
	const entry = raw?.cachedResultName;
	if (typeof value === 'string' && value.startsWith('=')) return () => undefined;
	const name = typeof entry === 'string' ? nameOfUserEntry(entry) : undefined;
	return () => name;
}

/**
 * For each item, the canonical values naming its users, parsed under the field's label: exactly
 * one for a one-user field (more is an error), else one or more, repeats removed. Throws a
 * ParameterError for the item when the value is bad.
 */
export function userRefsReader(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	field: UserField,
): (itemIndex: number) => string[] {
	const read = userValueReader(context, items, field);
	const { identifyBy, label } = field;
	return field.several
		? (itemIndex) => parseUserRefs(identifyBy, label, read(itemIndex))
		: (itemIndex) => [parseUserRef(identifyBy, label, read(itemIndex))];
}

/** A user an item names: the canonical value it gave, and the user it is, or why that is not known. */
export interface NamedUser {
	ref: string;
	user: ResolvedUser | Error;
}

/**
 * Reads each item's users from `field` and then its other parameters (`readOther`); an item with a
 * bad value becomes its ItemFailure (the user field's error first). The emails or usernames of all
 * other items are then resolved together, in as few lookups as possible, and each item gets its
 * users in the order it named them. Errors about a user name it under the label of one such value
 * ("Email"), whatever the field is called.
 */
export async function readEachItemWithUsers<T extends object>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	client: SymphonyClient,
	field: UserField,
	readOther: (itemIndex: number) => T,
): Promise<Array<(T & { users: NamedUser[] }) | ItemFailure>> {
	const readRefs = userRefsReader(context, items, field);
	const readPickedName = pickedNameReader(context, field);
	const inputs = readEachItem(items.length, (i) => {
		const refs = readRefs(i);
		return { refs, pickedName: readPickedName(i), other: readOther(i) };
	});
	const refs = inputs.flatMap((input) => (input instanceof ItemFailure ? [] : input.refs));
	const users = await resolveUsers(client, field.identifyBy, USER_PARAMETERS[field.identifyBy].oneLabel, refs);
	const named = (user: ResolvedUser | Error, pickedName: string | undefined) =>
		pickedName === undefined || user instanceof Error ? user : { ...user, pickedName };
	return inputs.map((input) =>
		input instanceof ItemFailure
			? input
			: { ...input.other, users: input.refs.map((ref) => ({ ref, user: named(users.get(ref) as ResolvedUser | Error, input.pickedName) })) },
	);
}
