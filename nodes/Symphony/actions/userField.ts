import type { IExecuteFunctions, INodeExecutionData, INodeParameterResourceLocator } from 'n8n-workflow';

import { VERSION_2 } from '../descriptions/nodeVersion';
import {
	LOCATOR_MODES,
	LOCATOR_MODE_LABELS,
	USER_PARAMETERS,
	type UserField,
	type UserFieldShape,
} from '../descriptions/users';
import { ParameterError } from '../errors';
import { parseIdentifyBy } from '../helpers/userRefs';
import { itemParameterReader } from './itemParameter';

/**
 * Reads, once per execution, how the operation names its users: "Identify Users By" before
 * version 2 (or for list fields), the locator's mode after. Modes are not expressions, so item 0
 * holds for all items.
 */
export function readUserField(context: IExecuteFunctions, shape: UserFieldShape): UserField {
	if (shape.locator && context.getNode().typeVersion >= VERSION_2) {
		const locator = context.getNodeParameter('user', 0, undefined, { rawExpressions: true }) as INodeParameterResourceLocator | undefined;
		const mode = locator?.mode ?? 'id';
		const identifyBy = LOCATOR_MODES[mode];
		if (identifyBy === undefined) {
			throw new ParameterError('User', mode, 'is not one of the modes', 'Pick From List, By ID, By Email or By Username');
		}
		return { identifyBy, parameter: 'user', label: `User (${LOCATOR_MODE_LABELS[mode]})`, mode };
	}
	const identifyBy = parseIdentifyBy(context.getNodeParameter('identifyBy', 0, 'id'));
	const { one, oneLabel, many, manyLabel } = USER_PARAMETERS[identifyBy];
	return shape.several ? { identifyBy, parameter: many, label: manyLabel } : { identifyBy, parameter: one, label: oneLabel };
}

/**
 * The one place every per-item user field is read: for each item, the value it names its user(s)
 * with, before parsing (for the locator, the value inside `{ __rl, mode, value }`). Reads go
 * through `itemParameterReader`, so `{{ $json.userId }}` costs a field access.
 */
export function userValueReader(
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
