export { ReviewScreen } from './ReviewScreen';
export { useCampaignItems, type ReviewItem } from './use-campaign-items';
