/** The kinds of talk in the ledger (谈话台账), the vocabulary of talks, coverage rules and their config. */
export const TALK_KINDS = [
  'collectiveResponsibility', // 责任传导集体谈话
  'collectiveInterview', // 集体约谈
  'individualInterview', // 个别约谈
  'integrityInterview', // 廉政约谈
  'preAppointmentIntegrity', // 任前廉政谈话
  'heartToHeart', // 谈心谈话
  'reminder', // 提醒谈话
] as const;
export type TalkKind = (typeof TALK_KINDS)[number];
