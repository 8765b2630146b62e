// User agents as they appear in CloudTrail, by client family.
import type { Rng } from './prng.ts';

export const UA = {
  cli: (rng: Rng, command: string): string =>
    `aws-cli/2.15.${rng.int(20, 40)} md/awscrt#0.19.19 ua/2.0 os/${rng.pick(['macos#23.4.0', 'macos#24.1.0', 'linux#6.8.0-45-generic'])} md/arch#${rng.pick(['arm64', 'x86_64'])} lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#${command}`,
  boto3: 'Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#6.1.79-99.167.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.51',
  ssmAgent: 'aws-sdk-go/1.51.30 (go1.22.2; linux; amd64) amazon-ssm-agent/3.3.131.0',
  goSdk: 'aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.156.0',
  terraform: 'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.43.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.155.1',
  browser: [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
  ],
  consoleInternal: 'AWS Internal',
  lambdaNode: 'aws-sdk-js/3.511.0 ua/2.1 os/linux#5.10.214-223.810.amzn2.x86_64 lang/js md/nodejs#20.11.1 api/ssm#3.511.0 exec-env/AWS_Lambda_nodejs20.x',
  lambdaPython: 'Boto3/1.34.34 md/Botocore#1.34.34 ua/2.0 os/linux#5.10.214-223.810.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.34',
  githubOidc: 'aws-sdk-nodejs/2.1560.0 linux/v20.11.1 configure-aws-credentials-for-github-actions promise',
  githubCli: 'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#ec2.describe-instances',
  attacker: (command: string): string =>
    `aws-cli/2.13.25 Python/3.11.6 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off command/${command}`,
  attackerPython: 'python-requests/2.31.0 Boto3/1.28.62 Python/3.11.6 Linux/6.5.0-kali3-amd64 Botocore/1.31.62',
};

/** "ec2.describe-instances" from ec2 / DescribeInstances, as the CLI reports its command. */
export function cliCommand(source: string, name: string): string {
  const svc = source.slice(0, source.indexOf('.'));
  return `${svc === 'monitoring' ? 'cloudwatch' : svc}.${name.replace(/20\d{6}$/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`;
}
