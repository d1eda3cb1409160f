import { PRESENCE_STATUS_OPTIONS, presenceStatusFields } from '../../../../nodes/Symphony/descriptions/presenceStatus';
import { CUSTOM_STATUS, PRESENCE_STATUSES } from '../../../../nodes/Symphony/helpers/presenceStatus';

describe('presence status fields', () => {
	test('one option per listed status, in the list\'s order, each with a name', () => {
		expect(PRESENCE_STATUS_OPTIONS.map((option) => option.value)).toEqual([...PRESENCE_STATUSES]);
		expect(PRESENCE_STATUS_OPTIONS.every((option) => option.name !== '' && option.name !== option.value)).toBe(true);
	});

	test('the Status field lists them sorted by name, with Custom Value, which shows Custom Status', () => {
		const options = presenceStatusFields[0].options!;
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(options).toContainEqual(expect.objectContaining({ name: 'Custom Value', value: CUSTOM_STATUS }));
		expect(presenceStatusFields[1].displayOptions?.show?.status).toEqual([CUSTOM_STATUS]);
	});
});
