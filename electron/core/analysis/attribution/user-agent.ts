// Classifies a CloudTrail userAgent: a console click, a person at a CLI, a program, or
// infrastructure-as-code. "Someone opened a port from the console" reads differently from Terraform.
import type { UserAgentClass } from '../../../../shared/engine-types.ts';

export function classifyUserAgent(ua: string | null): UserAgentClass {
  if (!ua) return 'other';
  const s = ua.toLowerCase();
  if (/terraform|cloudformation|pulumi|aws-cdk|\bcdk\b|crossplane|ansible|aws-sam|serverless/.test(s)) return 'iac';
  if (/^(signin|console|[a-z0-9-]+\.console)\.amazonaws\.com|awsconsole|console\.aws\.amazon|^mozilla\//.test(s) || s === 'aws internal') {
    return s === 'aws internal' ? 'aws-service' : 'console';
  }
  if (/^aws-cli\/|aws-shell|awscli|powershell|aws-tools-for-powershell/.test(s)) return 'cli';
  if (/^[a-z0-9-]+\.amazonaws\.com$/.test(s)) return 'aws-service';
  if (/aws-sdk|boto3|botocore|aws-sdk-go|aws-sdk-java|aws-sdk-js|aws-sdk-rust|aws-sdk-dotnet|aws-sdk-php|aws-sdk-ruby|sdk-java|go-http/.test(s)) return 'sdk';
  return 'other';
}
