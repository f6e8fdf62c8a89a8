// Examples for `--help` of the commands that do not carry their own, attached after registration so
// every command shows at least one.
import type { Command } from 'commander';

const EXAMPLES: Record<string, string[]> = {
  keys: ['cms keys generate', 'cms keys did'],
  'keys generate': [
    'cms keys generate',
    'cms --profile bot keys generate --out ./bot-key.json',
    'cms --profile wallet keys generate --type secp256k1 && cms --profile wallet login',
  ],
  'keys import': ['cms keys import ./old-laptop-key.json', 'cms --profile ci keys import ./ci.jwk --force'],
  'keys list': ['cms keys list', 'cms keys list --json | jq -r ".[] | select(.did) | .did"'],
  'keys export-public': ['cms keys export-public', 'cms keys export-public --format jwk > public.jwk'],
  'keys did': ['cms contracts create --title NDA --party "$(cms keys did):signer"'],
  login: ['cms login --server https://cms.example.com', 'cms --profile bot login --key ./bot-key.json'],
  refresh: ['cms refresh', 'cms refresh --organization 01a2...'],
  logout: ['cms logout', 'cms --profile staging logout'],
  whoami: ['cms whoami', 'cms whoami --json | jq -r .organizationId'],
  contracts: ['cms contracts list --status pending', 'cms contracts create --title "Mutual NDA"'],
  files: ['cms files upload ./nda.pdf', 'cms files download 3f1a... --out nda.pdf'],
  'files upload': [
    'cms files upload ./nda.pdf',
    'cms files upload ./annex.md --media-type text/markdown --json | jq -r .sha256',
  ],
  'files download': ['cms files download 3f1a... --out nda.pdf', 'cms files download 3f1a... --out - | sha256sum'],
  'contracts document': [
    'cms contracts document 01a2... 3f1a...',
    'cms contracts document 01a2... 3f1a... --out - > nda.pdf',
  ],
  organizations: ['cms organizations list', 'cms organizations create "ACME Legal" --switch'],
  'organizations list': ['cms organizations list --json'],
  'organizations create': ['cms organizations create "ACME Legal" --switch'],
  'organizations switch': ['cms organizations switch 01a2...'],
  admin: ['cms admin organizations list --all --json'],
  'admin organizations': ['cms admin organizations list', 'cms admin orgs list --limit 20'],
  members: ['cms members list', 'cms members set-role 01a2... --role admin'],
  'members list': ['cms members list --json'],
  'members set-role': ['cms members set-role 01a2... --role auditor'],
  'members remove': ['cms members remove 01a2...'],
  invitations: ['cms invitations create did:key:z6Mk... --role member', 'cms invitations mine'],
  'invitations create': ['cms invitations create did:key:z6Mk... --role member'],
  'invitations list': ['cms invitations list --json'],
  'invitations revoke': ['cms invitations revoke 01a2...'],
  'invitations mine': ['cms invitations mine'],
  'invitations accept': ['cms invitations accept 01a2... --switch'],
  'service-accounts': ['cms service-accounts create did:key:z6Mk... --name ci --role member'],
  'service-accounts create': ['cms service-accounts create "$(cms keys did --key ci.json)" --name ci --role member'],
  'service-accounts list': ['cms service-accounts list --json'],
  sessions: ['cms sessions list', 'cms sessions revoke 01a2...'],
  'sessions list': ['cms sessions list --json'],
  'sessions revoke': ['cms sessions revoke 01a2...'],
  templates: ['cms templates list', 'cms templates import-starters'],
  'templates list': ['cms templates list --tag starter --json'],
  'templates import-starters': ['cms templates import-starters'],
  'templates get': ['cms templates get 01a2...', 'cms templates get 01a2... --json | jq .draft.variables'],
  'templates create': [
    'cms templates create --file nda-template.yaml',
    'cms templates create --file nda.json --publish --json | jq -r .id',
  ],
  'templates update': ['cms templates update 01a2... --file changes.yaml --if-match 3'],
  'templates publish': [
    'cms templates publish 01a2...',
    'cms templates publish 01a2... --if-match 4 --json | jq -r .hash',
  ],
  'templates archive': ['cms templates archive 01a2...'],
  'templates versions': ['cms templates versions 01a2...'],
  'templates version': [
    'cms templates version 01a2... 2',
    'cms templates version 01a2... 2 --json | jq .content.roles',
  ],
  'templates preview': [
    'cms templates preview 01a2... --var fee=1200 --role client=did:key:z6Mk...',
    'cms templates preview 01a2... --draft --vars vars.yaml',
  ],
  ledger: ['cms ledger status', 'cms ledger proof 1234'],
  'ledger status': ['cms ledger status --json'],
  'ledger proof': ['cms ledger proof 1234 --json'],
  verify: ['cms contracts evidence 01a2... > evidence.json && cms verify evidence.json'],
  enclave: ['cms enclave info', 'cms enclave attestation --json', 'cms enclave verify --root root.pem'],
  completion: ['eval "$(cms completion bash)"'],
  config: ['cms config list'],
  'config get': ['cms config get server'],
  'config set': ['cms config set server https://cms.example.com', 'cms --profile ci config set output jsonl'],
  'config unset': ['cms config unset key'],
  'config list': ['cms config list --json'],
  'config profiles': ['cms config profiles'],
  bulk: ['cms bulk create contracts.csv'],
  events: ['cms events --follow'],
  webhooks: [
    'cms webhooks create --url https://hooks.example.com/cms --event-type contract.signed',
    'cms webhooks list',
  ],
  'webhooks list': ['cms webhooks list --json'],
  'webhooks create': [
    'cms webhooks create --url https://hooks.example.com/cms --event-type contract.signed,contract.executed --description "ERP sync"',
    'cms webhooks create --url https://hooks.example.com/cms --json | jq -r .secret',
  ],
  'webhooks get': ['cms webhooks get 01a2...'],
  'webhooks update': [
    'cms webhooks update 01a2... --disable',
    'cms webhooks update 01a2... --url https://new.example.com/hook --enable',
  ],
  'webhooks delete': ['cms webhooks delete 01a2...'],
  'webhooks rotate-secret': ['cms webhooks rotate-secret 01a2... --grace-seconds 3600'],
  'webhooks test': ['cms webhooks test 01a2...'],
  'webhooks deliveries': [
    'cms webhooks deliveries 01a2... --status failed',
    'cms webhooks deliveries 01a2... --all --json',
  ],
  'webhooks delivery': ['cms webhooks delivery 01a2... 03c4...'],
  'webhooks retry': ['cms webhooks retry 01a2... 03c4...'],
  'webhooks replay': ['cms webhooks replay 01a2... --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z'],
  audit: ['cms audit events --action contract.signed', 'cms audit export --out audit.jsonl --verify'],
  'audit events': [
    'cms audit events --contract 01a2... --all',
    'cms audit events --from 2026-12-01T00:00:00Z --actor did:key:z6Mk... --json',
  ],
  'audit verify': [
    'cms audit verify',
    'cms audit verify --file audit.jsonl --jwks jwks.json',
    'cms audit verify --file audit.jsonl --rpc-url https://rpc.example --ledger-address 0x5FbDB2315678afecb367f032d93F642f64180aa3',
  ],
  'audit export': [
    'cms audit export --out audit.jsonl --verify',
    'cms audit export --format csv --from 2026-01-01T00:00:00Z > audit.csv',
  ],
};

/** Adds an "Examples:" section to every command without one. */
export function addExamples(program: Command): void {
  const visit = (command: Command, path: string[]) => {
    for (const sub of command.commands) {
      const key = [...path, sub.name()].join(' ');
      const examples = EXAMPLES[key];
      if (examples && !hasOwnExamples(sub))
        sub.addHelpText(
          'after',
          `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  ${e}`).join('\n')}`,
        );
      visit(sub, [...path, sub.name()]);
    }
  };
  visit(program, []);
}

function hasOwnExamples(command: Command): boolean {
  let help = '';
  const saved = command.configureOutput();
  command.configureOutput({ ...saved, writeOut: (t) => void (help += t) });
  command.outputHelp();
  command.configureOutput(saved);
  return /Examples?:\n/.test(help);
}
