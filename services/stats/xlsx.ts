/** The statistics workbooks are written by the shared report writer (services/reports/xlsx.ts). */
export { toXlsx } from '../reports/xlsx';
