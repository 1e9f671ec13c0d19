/**
 * What a staff member is in the middle of typing, by hot-state key: the input a case action
 * waits for (a reason, measures, an answer) and a notice being written. Starting one drops
 * the other, so a person's next message goes to what they asked for last.
 */
export const staffInputKey = (userId: number) => `staff-input:${userId}`;
export const noticeDraftKey = (userId: number) => `notice-draft:${userId}`;
