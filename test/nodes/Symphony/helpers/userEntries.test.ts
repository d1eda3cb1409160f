import { MAX_ENTRY_LENGTH, nameOfUserEntry, userEntryName } from '../../../../nodes/Symphony/helpers/userEntries';

describe('userEntryName: one line the panel shows uncut, the External marker first', () => {
	test.each<[string, Parameters<typeof userEntryName>[0], string]>([
		['a colleague with email and company', { name: 'Alice Martin', details: ['alice@acme.example', 'Acme'], external: false }, 'Alice Martin · alice@acme.example · Acme'],
		['a person at another firm', { name: 'Carol Diaz', details: ['Globex'], external: true }, 'External · Carol Diaz · Globex'],
		['an email too long beside the name is left out, the company kept', { name: 'Amelia Smithers', details: ['amelia.smithers@acme-bank.example', 'Acme Bank'], external: false }, 'Amelia Smithers · Acme Bank'],
		['the marker is never the part cut', { name: 'Amelia Smithers', details: ['amelia.smithers@globex-bank.example', 'Globex Bank'], external: true }, 'External · Amelia Smithers · Globex Bank'],
		['a name too long is shortened after the marker', { name: 'Amelia Konstantinopoulou-Vanderbilt-Smithers', details: ['Globex Bank'], external: true }, 'External · Amelia Konstantinopoulou-Vanderb…'],
		['no details', { name: 'presence.bot', details: [], external: false }, 'presence.bot'],
	])('%s', (_name, parts, entry) => {
		expect(userEntryName(parts)).toBe(entry);
		expect(entry.length).toBeLessThanOrEqual(MAX_ENTRY_LENGTH);
		if (parts.external) expect(entry.startsWith('External · ')).toBe(true);
	});
});

describe('nameOfUserEntry: the name back from a picked entry', () => {
	test.each<[string, string | undefined]>([
		['Alice Martin · alice@acme.example · Acme', 'Alice Martin'],
		['External · Carol Diaz · Globex', 'Carol Diaz'],
		['presence.bot', 'presence.bot'],
		['External · Amelia Konstantinopoulou-Vanderb…', 'Amelia Konstantinopoulou-Vanderb…'],
		['', undefined],
	])('%p → %p', (entry, name) => {
		expect(nameOfUserEntry(entry)).toBe(name);
	});
});
