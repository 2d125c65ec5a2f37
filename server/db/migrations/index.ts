import { Initial1763800000000 } from "./1763800000000-initial.js";
import { Loyalty1763900000000 } from "./1763900000000-loyalty.js";
import { Bookings1764000000000 } from "./1764000000000-bookings.js";
import { BusinessGaps1764100000000 } from "./1764100000000-business-gaps.js";
import { Notifications1764200000000 } from "./1764200000000-notifications.js";
import { OutboxExpiry1764300000000 } from "./1764300000000-outbox-expiry.js";
import { Complaints1764400000000 } from "./1764400000000-complaints.js";
import { Faq1764500000000 } from "./1764500000000-faq.js";
import { Bot1764600000000 } from "./1764600000000-bot.js";
import { ReportIndexes1764700500000 } from "./1764700500000-report-indexes.js";

/** Every migration in order; the only way the schema changes. */
export const MIGRATIONS = [Initial1763800000000, Loyalty1763900000000, Bookings1764000000000, BusinessGaps1764100000000, Notifications1764200000000, OutboxExpiry1764300000000, Complaints1764400000000, Faq1764500000000, Bot1764600000000, ReportIndexes1764700500000];
