export { ReviewScreen } from './ReviewScreen';
export { useCampaignTable } from './use-campaign-table';
export { signEvent } from './sign-event';
