export { ReviewScreen } from './ReviewScreen';
export { useCampaignItems, type ReviewItem } from './use-campaign-items';
export { useCampaignTable } from './use-campaign-table';
