// `cms completion bash | zsh | fish`: a completion script generated from the command tree itself,
// so it never lags behind the commands.
import { type Command, InvalidArgumentError } from 'commander';
import type { CommandContext } from '../context.js';

interface Node {
  path: string[];
  subcommands: string[];
  options: string[];
}

function walk(command: Command, path: string[] = []): Node[] {
  const visible = command.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  const options = command.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x)));
  const node: Node = { path, subcommands: visible.map((c) => c.name()), options };
  return [node, ...visible.flatMap((c) => walk(c, [...path, c.name()]))];
}

export function completionScript(program: Command, shell: 'bash' | 'zsh' | 'fish'): string {
  const nodes = walk(program);
  const globals = nodes[0]!.options;
  if (shell === 'fish') {
    const lines = [
      '# cms completion for fish: cms completion fish > ~/.config/fish/completions/cms.fish',
      'complete -c cms -f',
    ];
    for (const n of nodes) {
      const condition = n.path.length ? `__fish_seen_subcommand_from ${n.path.at(-1)}` : '__fish_use_subcommand';
      for (const sub of n.subcommands) lines.push(`complete -c cms -n '${condition}' -a '${sub}'`);
    }
    for (const o of globals.filter((x) => x.startsWith('--'))) lines.push(`complete -c cms -l '${o.slice(2)}'`);
    return `${lines.join('\n')}\n`;
  }
  const cases = nodes
    .map((n) => `    "${n.path.join(' ')}") words="${[...n.subcommands, ...n.options, ...globals].join(' ')}" ;;`)
    .join('\n');
  const body = `_cms_words() {
  local path="$1" words=""
  case "$path" in
${cases}
    *) words="${globals.join(' ')}" ;;
  esac
  echo "$words"
}`;
  if (shell === 'bash')
    return `# cms completion for bash: eval "$(cms completion bash)" (e.g. in ~/.bashrc)
${body}
_cms() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    if [[ " $(_cms_words "$path") " == *" $w "* ]]; then path="\${path:+$path }$w"; fi
  done
  COMPREPLY=($(compgen -W "$(_cms_words "$path")" -- "$cur"))
}
complete -o default -F _cms cms
`;
  return `#compdef cms
# cms completion for zsh: cms completion zsh > "\${fpath[1]}/_cms" (or eval "$(cms completion zsh)")
${body}
_cms() {
  local path="" w
  for w in \${words[2,CURRENT-1]}; do
    [[ "$w" == -* ]] && continue
    if [[ " $(_cms_words "$path") " == *" $w "* ]]; then path="\${path:+$path }$w"; fi
  done
  compadd -- \${=$(_cms_words "$path")}
}
compdef _cms cms
`;
}

export function registerCompletionCommand(program: Command, context: CommandContext): void {
  program
    .command('completion')
    .description('print a shell completion script')
    .argument('<shell>', 'bash, zsh or fish', (v) => {
      if (v !== 'bash' && v !== 'zsh' && v !== 'fish') throw new InvalidArgumentError('expected bash, zsh or fish');
      return v;
    })
    .addHelpText(
      'after',
      `
Examples:
  eval "$(cms completion bash)"                       # in ~/.bashrc
  cms completion zsh > "\${fpath[1]}/_cms"
  cms completion fish > ~/.config/fish/completions/cms.fish`,
    )
    .action((shell: 'bash' | 'zsh' | 'fish') => {
      context.io.stdout(completionScript(program, shell));
    });
}
