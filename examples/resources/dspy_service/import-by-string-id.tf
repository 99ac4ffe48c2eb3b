# By its id: aws/<region>/<name>, gcp/<project>/<region>/<name> or azure/<resource_group>/<name>.
import {
  to = dspy_service.qa
  id = "aws/us-east-1/qa-bot"
}
