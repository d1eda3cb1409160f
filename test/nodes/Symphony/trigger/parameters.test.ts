import { ParameterError } from '../../../../nodes/Symphony/errors';
import { parseTriggerOn, parseTriggerStatuses } from '../../../../nodes/Symphony/trigger/parameters';

describe('parseTriggerOn', () => {
	test.each(['anyChange', 'becomes', 'leaves'])('%p is a choice', (value) => {
		expect(parseTriggerOn(value)).toBe(value);
	});

	test.each<[unknown, RegExp]>([
		['sometimes', /^Trigger On: "sometimes" is not one of the choices\. Pick Any Change, Becomes One of Statuses or Leaves One of Statuses$/],
		['BECOMES', /^Trigger On: "BECOMES" is not one of the choices/],
		[undefined, /^Trigger On: undefined is not one of the choices/],
	])('%p is refused with the field, the value and the choices', (value, message) => {
		const parse = () => parseTriggerOn(value);
		expect(parse).toThrow(ParameterError);
		expect(parse).toThrow(message);
	});
});

describe('parseTriggerStatuses: at least one status, listed or not', () => {
	test.each<[unknown, string[]]>([
		[['AVAILABLE'], ['AVAILABLE']],
		[['busy', ' Away '], ['BUSY', 'AWAY']],
		['focus_time, OUT_OF_OFFICE', ['FOCUS_TIME', 'OUT_OF_OFFICE']],
	])('%p → %p', (value, expected) => {
		expect(parseTriggerStatuses(value)).toEqual(expected);
	});

	test.each<[unknown, RegExp]>([
		[[], /^Statuses: \[\] is empty\. Select at least one status, or set Trigger On to Any Change$/],
		['', /^Statuses: "" is empty\./],
		[[' '], /^Statuses: \[" "\] is empty\./],
		[['AVAILABLE', 'in a meeting'], /^Statuses: "IN A MEETING" is not a Symphony status\. Pick statuses from the list/],
		[5, /^Statuses: 5 is not a list of statuses/],
	])('%p is refused with the field, the value and the fix', (value, message) => {
		const parse = () => parseTriggerStatuses(value);
		expect(parse).toThrow(ParameterError);
		expect(parse).toThrow(message);
	});
});
