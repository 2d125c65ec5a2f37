// One coupon or coupon offer as a ticket: the value on the left, name and rules in the middle, the action slot on the right.
Component({
  options: { multipleSlots: true },
  properties: {
    value: { type: String, value: "" },
    name: { type: String, value: "" },
    rule: { type: String, value: "" },
    valid: { type: String, value: "" },
    /** a refusal or note in red under the rules */
    note: { type: String, value: "" },
    /** used, expired or void: shown faded */
    dim: { type: Boolean, value: false },
  },
});
