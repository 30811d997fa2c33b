/** What every Azure resource shares: the project's resource group. */
import { CATALOGS } from '../../../resources/catalogs/index.js';
import type { Item } from '../hcl.js';
import { attr, ref } from '../hcl.js';

export const RG = 'main';

/** `name`, `resource_group_name`, `location`: the opening lines of nearly every azurerm resource. */
export const placed = (name: string, location: string): Item[] => [
  attr('name', name),
  attr('resource_group_name', ref('azurerm_resource_group', RG, 'name')),
  attr('location', location),
];

/** Whether the region has availability zones (westus has none): a `zone` there is refused by Azure. From the price data. */
export const hasZones = (region: string): boolean => (CATALOGS.azure.regions[region]?.length ?? 0) > 0;
