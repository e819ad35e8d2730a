import type { INodeProperties } from 'n8n-workflow';

import { createProperties } from '../shared/createDescription';

export const createCreditMemoProperties: INodeProperties[] = createProperties();
