/** Every BullMQ queue of the platform; each feature adds its queue name here. */
export const QUEUES = {
  musicGeneration: 'music-generation',
  aiopsCollect: 'aiops-collect',
  aiopsNotify: 'aiops-notify',
  ensembleRender: 'ensemble-render',
  multimodalStory: 'multimodal-story',
  tutorFsrsRefit: 'tutor-fsrs-refit',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES: readonly string[] = Object.values(QUEUES);
