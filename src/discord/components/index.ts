import type { ActionKey } from '../customId.js';
import { addButton, detailSelect, regionPage, regionSelect, typeSelect } from './addResource.js';
import { approveButton, overrideButton, policyOverrideButton, policyReasonModal } from './approve.js';
import { cancelButton } from './cancel.js';
import { driftAdoptButton, driftRevertButton } from './drift.js';
import { leaseDestroyButton, leaseExtendButton } from './lease.js';
import { editButton, editSelect, keepButton, pickPage, removeButton, removeSelect } from './pickResource.js';
import { planButton } from './plan.js';
import { recoverButton } from './recover.js';
import { resourceModal, retryButton } from './resourceModal.js';
import type { ComponentHandler } from './types.js';

/** Custom-id action → handler. The router checks the interaction kind matches before running it. */
export const COMPONENT_HANDLERS: Record<ActionKey, ComponentHandler> = {
  add: addButton,
  type: typeSelect,
  region: regionSelect,
  regionPage,
  zone: detailSelect,
  direction: detailSelect,
  modal: resourceModal,
  edit: editButton,
  editSelect,
  keep: keepButton,
  retry: retryButton,
  remove: removeButton,
  removeSelect,
  pickPage,
  plan: planButton,
  approve: approveButton,
  override: overrideButton,
  policyOverride: policyOverrideButton,
  policyReason: policyReasonModal,
  cancel: cancelButton,
  driftAdopt: driftAdoptButton,
  driftRevert: driftRevertButton,
  leaseExtend: leaseExtendButton,
  leaseDestroy: leaseDestroyButton,
  recover: recoverButton,
} as Record<ActionKey, ComponentHandler>;
