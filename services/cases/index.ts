export { registerCase } from './register';
export { runCaseCommand } from './run-command';
export { getCaseView, listCases, caseHistory, viewOfLoaded } from './queries';
export { loadCaseFor } from './load';
export { caseModel } from './model';
