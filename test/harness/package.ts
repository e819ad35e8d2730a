import type { ICredentialType, INodeType } from 'n8n-workflow';

import { MagentoRestApi } from '../../credentials/MagentoRestApi.credentials';
import { MagentoSoapApi } from '../../credentials/MagentoSoapApi.credentials';
import { RebillyApi } from '../../credentials/RebillyApi.credentials';
import { SalesforceOmOAuth2Api } from '../../credentials/SalesforceOmOAuth2Api.credentials';
import { ZuoraOAuth2Api } from '../../credentials/ZuoraOAuth2Api.credentials';
import { AddMemoComment } from '../../nodes/AddMemoComment/AddMemoComment.node';
import { BulkCreditMemos } from '../../nodes/BulkCreditMemos/BulkCreditMemos.node';
import { CreateCreditMemo } from '../../nodes/CreateCreditMemo/CreateCreditMemo.node';
import { CreditMemo } from '../../nodes/CreditMemo/CreditMemo.node';
import { OAuth2Api } from './oAuth2Api';
import { ManualTriggerStandIn } from './triggers';

export const PACKAGE_NAME = 'n8n-nodes-credit-memos';

/** Our node classes, registered under the type names users get (`<package>.<name>`). */
export const PACKAGE_NODES: INodeType[] = [new CreateCreditMemo(), new BulkCreditMemos(), new AddMemoComment(), new CreditMemo()];

export const NODE_TYPES: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTriggerStandIn(),
	...Object.fromEntries(PACKAGE_NODES.map((node) => [`${PACKAGE_NAME}.${node.description.name}`, node])),
};

export const PACKAGE_CREDENTIALS: ICredentialType[] = [new MagentoRestApi(), new MagentoSoapApi(), new RebillyApi(), new SalesforceOmOAuth2Api(), new ZuoraOAuth2Api()];

export const CREDENTIAL_TYPES: ICredentialType[] = [new OAuth2Api(), ...PACKAGE_CREDENTIALS];
