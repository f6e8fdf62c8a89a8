// The page: runs the signing flow against the server named in the form and shows every step's result.
// The server defaults to this page's origin: the CMS server serving the built page, or `pnpm dev`,
// whose proxy forwards `/v1` to the server (see vite.config.ts).
import { forgetDidKey } from './did-key-store.js';
import { runSigningFlow, type StepName } from './signing-flow.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const serverInput = $<HTMLInputElement>('server');
const steps = $<HTMLOListElement>('steps');
const outcome = $<HTMLParagraphElement>('outcome');
const evidenceView = $<HTMLPreElement>('evidence');

serverInput.value = new URLSearchParams(location.search).get('server') ?? location.origin;

function showStep(name: StepName, status: string, detail: string) {
  let item = steps.querySelector<HTMLLIElement>(`li[data-step="${name}"]`);
  if (!item) {
    item = document.createElement('li');
    item.dataset.step = name;
    steps.append(item);
  }
  item.dataset.status = status;
  item.textContent = `${name}: ${detail}`;
}

$<HTMLFormElement>('run-form').addEventListener('submit', (event) => {
  event.preventDefault();
  steps.replaceChildren();
  evidenceView.textContent = '';
  outcome.dataset.status = 'running';
  outcome.textContent = 'Running…';
  runSigningFlow(serverInput.value, { step: showStep }).then(
    (result) => {
      evidenceView.textContent = JSON.stringify(result.evidence, null, 2);
      outcome.dataset.status = 'ok';
      outcome.dataset.contractId = result.contractId;
      outcome.textContent = `Contract ${result.contractId} signed by ${result.did}, and its evidence verified in this browser.`;
    },
    (error: unknown) => {
      outcome.dataset.status = 'failed';
      outcome.textContent = `Stopped: ${error instanceof Error ? error.message : String(error)}`;
    },
  );
});

$<HTMLButtonElement>('forget-key').addEventListener('click', () => {
  forgetDidKey();
  steps.replaceChildren();
  outcome.textContent = 'The next run uses a new did:key.';
});
