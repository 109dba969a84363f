export { Session, type SessionOptions, parseDurationMs } from "./session.js";
export type { SessionOutput, TransactionStatus, FormatCodes } from "./output.js";
export { SessionSettings, serverVersion, serverVersionNum, setServerSetting } from "./settings.js";
export { nowMicros } from "./clock.js";
export { bumpCatalogEpoch } from "../catalog/catalog-epoch.js";
export { SessionNotifications, type Notification, type NotificationDelivery,
  type NotificationHub, type NotificationListener } from "./notifications.js";
