//! A stack under construction: its template plus what synth and deploy need to know.
use crate::assembly::{LambdaCode, SynthesizedStack, ASSETS_BUCKET_PARAMETER};
use crate::moved::{Moved, MOVED_METADATA};
use crate::stage::StageConfig;
use cfn::ssm::parameter::{Parameter as SsmParameter, Type as SsmType};
use cfn_core::{Expr, LogicalId, Parameter, Resource, ResourceProperties, Template};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct Stack {
    /// Display name and file stem: `Api` → `stacks/dev/Api.json`.
    pub name: String,
    pub stage: StageConfig,
    pub template: Template,
    pub depends_on: Vec<String>,
    pub lambda_code: Vec<LambdaCode>,
}

impl Stack {
    pub fn new(name: &str, stage: &StageConfig, description: &str) -> Stack {
        let stage = stage.clone();
        let description = format!("{} {} ({}): {description}", stage.title, name, stage.stage);
        Stack {
            name: name.to_string(),
            stage,
            template: Template::new(description),
            depends_on: Vec::new(),
            lambda_code: Vec::new(),
        }
    }

    /// CloudFormation stack name, e.g. `bubblebatch-dev-api`.
    pub fn stack_name(&self) -> String {
        self.stage.physical_name(&self.name.to_lowercase())
    }

    /// Declares that `other` must be deployed first (it publishes values this one reads).
    pub fn depends_on(&mut self, other: &Stack) {
        let name = other.stack_name();
        if !self.depends_on.contains(&name) {
            self.depends_on.push(name);
        }
    }

    /// Adds a typed resource. A duplicate logical ID is a construct bug, reported loudly.
    pub fn add<P: ResourceProperties>(&mut self, id: LogicalId, properties: &P) -> &mut Resource {
        self.add_resource(id, Resource::typed(properties))
    }

    pub fn add_resource(&mut self, id: LogicalId, mut resource: Resource) -> &mut Resource {
        // Stack tags reach most resources at deploy time; the few they miss get them here.
        crate::cost_tags::add_where_not_propagated(&mut resource, &self.stage.cost_tags());
        if let Err(e) = self.template.add_resource(id.clone(), resource) {
            panic!("stack {}: {e}", self.name);
        }
        self.template.resources.get_mut(&id).expect("just inserted")
    }

    /// Makes CloudFormation create `on` before `resource`, for an ordering no reference
    /// expresses (e.g. a bucket notification needs the Lambda permission to exist first).
    pub fn add_dependency(&mut self, resource: &LogicalId, on: &LogicalId) {
        self.template
            .resources
            .get_mut(resource)
            .unwrap_or_else(|| panic!("add_dependency: no resource {resource} in {}", self.name))
            .depends_on
            .insert(on.clone());
    }

    pub fn add_parameter(&mut self, id: LogicalId, parameter: Parameter) -> Expr {
        if !self.template.parameters.contains_key(&id) {
            if let Err(e) = self.template.add_parameter(id.clone(), parameter) {
                panic!("stack {}: {e}", self.name);
            }
        }
        Expr::reference(&id)
    }

    /// Publishes a value for other stacks as an SSM parameter at `path` (under the stage).
    /// Consumers resolve it at deploy time, so changing or removing it never blocks a
    /// deploy the way a CloudFormation export does.
    pub fn publish(&mut self, id: LogicalId, key: &str, value: Expr, description: &str) {
        let name = self.stage.parameter_path(key);
        self.add(
            id,
            &SsmParameter {
                name: Some(name.into()),
                description: Some(description.into()),
                ..SsmParameter::new(SsmType::String, value)
            },
        );
    }

    /// Reads a value another stack published with [`Stack::publish`].
    pub fn import(&mut self, id: LogicalId, key: &str, description: &str) -> Expr {
        let path = self.stage.parameter_path(key);
        self.add_parameter(
            id,
            Parameter {
                parameter_type: "AWS::SSM::Parameter::Value<String>".into(),
                description: format!("{description} (SSM parameter written by another stack)"),
                default: Some(path),
                allowed_pattern: None,
            },
        )
    }

    /// Template parameters for a Lambda's code location: the assets bucket (shared) and
    /// the zip's key. Code enters at deploy time, so app changes never change templates.
    pub fn lambda_code(
        &mut self,
        function_id: &LogicalId,
        binary: &str,
        function_name: &str,
    ) -> (Expr, Expr) {
        let bucket = self.add_parameter(
            LogicalId::new(ASSETS_BUCKET_PARAMETER).expect("valid id"),
            Parameter {
                parameter_type: "String".into(),
                description: "Bucket holding the Lambda zips (from the bootstrap stack)".into(),
                default: None,
                allowed_pattern: Some("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$".into()),
            },
        );
        let key_id = function_id.child("CodeKey");
        let key = self.add_parameter(
            key_id.clone(),
            Parameter {
                parameter_type: "String".into(),
                description: format!("S3 key of the {binary} zip (sha256 of its content)"),
                default: None,
                allowed_pattern: Some("^[A-Za-z0-9/._-]+\\.zip$".into()),
            },
        );
        self.lambda_code.push(LambdaCode {
            binary: binary.to_string(),
            function_name: function_name.to_string(),
            key_parameter: key_id.to_string(),
        });
        (bucket, key)
    }

    /// Exempts one resource from one policy rule. The reason is mandatory and is written
    /// next to the resource, where a reviewer sees it. A checkov check (`CKV_...`) is
    /// written as checkov reads it: `Metadata.checkov.skip: [{id, comment}]`.
    pub fn suppress(&mut self, id: &LogicalId, rule: &str, reason: &str) {
        assert!(
            !reason.trim().is_empty(),
            "suppressing {rule} on {id} needs a reason"
        );
        let resource = self
            .template
            .resources
            .get_mut(id)
            .unwrap_or_else(|| panic!("suppress: no resource {id} in stack {}", self.name));
        if rule.starts_with("CKV") {
            let checkov = resource
                .metadata
                .entry("checkov".into())
                .or_insert_with(|| json!({}));
            let skips = checkov
                .as_object_mut()
                .expect("checkov metadata is an object")
                .entry("skip")
                .or_insert_with(|| json!([]));
            skips
                .as_array_mut()
                .expect("a list")
                .push(json!({"id": rule, "comment": reason}));
            return;
        }
        let guard = resource
            .metadata
            .entry("guard".into())
            .or_insert_with(|| json!({}));
        let rules = guard
            .as_object_mut()
            .expect("guard metadata is an object")
            .entry("SuppressedRules")
            .or_insert_with(|| json!([]));
        rules.as_array_mut().expect("a list").push(json!(rule));
        let reasons = resource
            .metadata
            .entry("SuppressionReasons".into())
            .or_insert_with(|| json!({}));
        reasons
            .as_object_mut()
            .expect("an object")
            .insert(rule.into(), json!(reason));
    }

    /// Declares that the resource `to` of this stack is the deployed resource `from`
    /// (renamed): deploy moves it with a stack refactoring instead of replacing it, and
    /// `plan` shows it as moved. Harmless once deployed; remove it after every stage has it.
    pub fn moved(&mut self, from: &LogicalId, to: &LogicalId) {
        self.declare_move(Moved::new(from, to));
    }

    /// Like [`Stack::moved`], for a resource deployed in another stack of the stage.
    pub fn moved_from_stack(&mut self, from_stack: &Stack, from: &LogicalId, to: &LogicalId) {
        assert!(
            from_stack.stack_name() != self.stack_name(),
            "moved_from_stack: {} is this stack; use moved()",
            self.name
        );
        self.declare_move(Moved {
            from_stack: Some(from_stack.stack_name()),
            ..Moved::new(from, to)
        });
    }

    fn declare_move(&mut self, m: Moved) {
        assert!(
            m.from != m.to || m.from_stack.is_some(),
            "moved: {} to itself in stack {}",
            m.from,
            self.name
        );
        let list = self
            .template
            .metadata
            .entry(MOVED_METADATA.into())
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .expect("moves are a list");
        let entry = serde_json::to_value(&m).expect("a move serializes");
        if !list.contains(&entry) {
            list.push(entry);
        }
    }

    pub fn synthesize(&self) -> SynthesizedStack {
        // One value, sorted once, rendered once: readers of the stack use the value.
        let template = self.template.to_canonical_value();
        SynthesizedStack {
            name: self.name.clone(),
            stack_name: self.stack_name(),
            template_json: cfn_core::canonical::sorted_to_string(&template),
            template: std::sync::Arc::new(template),
            depends_on: self.depends_on.clone(),
            lambda_code: self.lambda_code.clone(),
        }
    }
}
