import type { INodeProperties } from 'n8n-workflow';

import { userLocatorField, userListFields } from '../../../../nodes/Symphony/descriptions/users';
import { Symphony } from '../../../../nodes/Symphony/Symphony.node';
import { SymphonyPresenceTrigger } from '../../../../nodes/Symphony/SymphonyPresenceTrigger.node';

/** Every property of a node, the options of collections and fixed collections included. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...((property.options ?? []) as Array<INodeProperties | { values?: INodeProperties[] }>).flatMap((option) =>
			'displayName' in option && 'type' in option ? allProperties([option as INodeProperties]) : allProperties((option as { values?: INodeProperties[] }).values ?? []),
		),
	]);
}

describe('the User field (version 2 locator)', () => {
	test.each([true, false])('several: %p: the search hint shows with From List only, where something is searched', (several) => {
		const field = userLocatorField(several);
		expect(field.hint).toBeUndefined();
		expect(field.modes?.map((mode) => [mode.name, mode.hint])).toEqual([
			['list', 'People at other firms are found only if you are connected to them in Symphony'],
			['id', undefined],
			['email', undefined],
			['username', undefined],
		]);
	});
});

describe('ID fields speak plainly', () => {
	const properties = [...allProperties(new Symphony().description.properties), ...allProperties(new SymphonyPresenceTrigger().description.properties)];

	test('no field shows advice about large numbers where users type digits: it is in the error message of a mapped number', () => {
		const texts = properties.flatMap((p) => [p.hint, p.description, p.displayName]).filter((text): text is string => typeof text === 'string');
		expect(texts.length).toBeGreaterThan(50);
		expect(texts.filter((text) => /9007199254740991|lost digits|large IDs|as text/i.test(text))).toEqual([]);
	});

	test('the User IDs field has no hint', () => {
		expect(userListFields.find((field) => field.name === 'userIds')?.hint).toBeUndefined();
	});
});
