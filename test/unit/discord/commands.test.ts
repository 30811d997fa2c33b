import { ApplicationCommandOptionType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandDefinitions } from '../../../src/discord/commands/index.js';

const option = (command: string, name: string) => commandDefinitions().find((c) => c.name === command)?.options?.find((o) => o.name === name);

type Option = NonNullable<ReturnType<typeof option>>;
/** A command's option lists: its own, or each subcommand's. */
const optionLists = (options: Option[] = []): Array<{ at: string; options: Option[] }> => {
  const subs = options.filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
  return subs.length ? subs.map((s) => ({ at: ` ${s.name}`, options: ('options' in s ? s.options : undefined) ?? [] as Option[] })) : [{ at: '', options }];
};

describe('slash command definitions', () => {
  it('GIVEN the interface THEN every command of the issue is registered once', () => {
    expect(commandDefinitions().map((c) => c.name).sort()).toEqual([
      'cloud-audit', 'cloud-cost', 'cloud-create-project', 'cloud-credentials', 'cloud-deploy', 'cloud-drift', 'cloud-export', 'cloud-git-diff', 'cloud-git-log', 'cloud-git-remote',
      'cloud-git-tag', 'cloud-grant', 'cloud-import', 'cloud-lease', 'cloud-policy', 'cloud-quota', 'cloud-revoke', 'cloud-rollback', 'cloud-sessions', 'cloud-set-budget-alert',
      'cloud-settings', 'cloud-stats', 'cloud-stop', 'cloud-template', 'cloud-unlock',
    ]);
  });

  it("GIVEN Discord's rules THEN names, descriptions and option order are valid and commands are guild-only", () => {
    for (const c of commandDefinitions()) {
      expect(c.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.contexts).toEqual([0]);
      expect((c.options ?? []).length).toBeLessThanOrEqual(25);
      for (const { at, options } of optionLists(c.options)) {
        expect(options.length).toBeLessThanOrEqual(25);
        const required = options.map((o) => ('required' in o && o.required) === true);
        expect(required, `${c.name}${at}: required options come first`).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
        for (const o of options) expect(o.description.length, `${c.name}${at} ${o.name}`).toBeLessThanOrEqual(100);
      }
    }
  });

  it('GIVEN any project option THEN it autocompletes from the projects the user may see', () => {
    const projectOptions = commandDefinitions().flatMap((c) => optionLists(c.options).flatMap((l) => l.options.filter((o) => o.name === 'project')));
    expect(projectOptions.length).toBeGreaterThan(10);
    expect(projectOptions.every((o) => 'autocomplete' in o && o.autocomplete === true)).toBe(true);
  });

  it('GIVEN the documented options THEN their names and choices are part of the interface', () => {
    expect(option('cloud-deploy', 'provider')).toMatchObject({ choices: ['gcp', 'aws', 'azure', 'sandbox'].map((value) => expect.objectContaining({ value })) });
    expect(option('cloud-grant', 'role')).toMatchObject({ choices: ['viewer', 'deployer', 'approver', 'admin'].map((value) => expect.objectContaining({ value })) });
    expect(option('cloud-grant', 'user')).toMatchObject({ type: ApplicationCommandOptionType.User, required: true });
    expect(option('cloud-create-project', 'budget_limit')).toMatchObject({ type: ApplicationCommandOptionType.Number, required: true });
    for (const name of ['max_resources', 'max_monthly_cost', 'allowed_regions', 'allowed_machine_types']) expect(option('cloud-quota', name)).toBeDefined();
    for (const name of ['project', 'user', 'event', 'limit']) expect(option('cloud-audit', name)).toBeDefined();
    expect(option('cloud-stats', 'days')).toMatchObject({ type: ApplicationCommandOptionType.Integer });
    const policy = Object.fromEntries(optionLists(commandDefinitions().find((c) => c.name === 'cloud-policy')?.options).map((l) => [l.at.trim(), l.options.map((o) => o.name)]));
    expect(policy).toEqual({ list: ['project'], test: ['project', 'plan', 'file'], upload: ['project', 'file'], 'set-level': ['project', 'rule', 'level'] });
  });

  it('GIVEN the registry THEN each command has exactly one handler module', () => {
    expect(new Set(COMMANDS.map((c) => c.data.name)).size).toBe(COMMANDS.length);
  });
});
