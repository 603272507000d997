// The cluster model: what each node says (NodeObservation, however it was read) and the one judgement of
// it (who is primary, split brain, down nodes, standbys that do not follow, and the problem sentences).
export { judge, type Judgement, type JudgeOptions, type NodeJudgement, type PgRole } from './judge.js'
export { lagProblem, wrongUpstream, type Problem, type ProblemKind } from './problems.js'
export { TIMELINE_SQL, type NodeObservation, type PgObservation, type RepmgrRecord, type ReplicationClient, type WalReceiver } from './observation.js'
export type { ArchiverStats, BackupExpectation, BackupInfo, BackupObservation } from './observation.js'
