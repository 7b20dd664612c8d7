//! [`Cfn`] over the AWS SDK for Rust.
use aws_sdk_cloudformation::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::primitives::DateTimeFormat;
use aws_sdk_cloudformation::types::{
    Capability, ChangeSetType, Parameter, ResourceLocation, ResourceMapping, RollbackConfiguration,
    RollbackTrigger, StackDefinition, StackResourceDriftStatus, TemplateStage,
};
use aws_sdk_cloudformation::Client;

use super::cfn::*;
use aws_sdk_cloudformation::types::ResourceToImport as SdkResourceToImport;

pub struct SdkCfn {
    pub client: Client,
    /// Sent as `RoleARN` with every change set and stack deletion.
    pub role_arn: Option<String>,
}

fn err<E, R>(e: SdkError<E, R>) -> CfnError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let code = e.code().map(str::to_string);
    let message = match e.message() {
        Some(m) => m.to_string(),
        None => DisplayErrorContext(&e).to_string(),
    };
    CfnError { code, message }
}

impl Cfn for SdkCfn {
    async fn describe_stack(&self, name: &str) -> CfnResult<Option<StackInfo>> {
        let out = match self.client.describe_stacks().stack_name(name).send().await {
            Ok(out) => out,
            Err(e) => {
                let e = err(e);
                return if e.is_missing_stack() {
                    Ok(None)
                } else {
                    Err(e)
                };
            }
        };
        let Some(s) = out.stacks().first() else {
            return Ok(None);
        };
        let status = s
            .stack_status()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default();
        if status == "DELETE_COMPLETE" {
            return Ok(None);
        }
        Ok(Some(StackInfo {
            name: s.stack_name().unwrap_or(name).to_string(),
            status,
            reason: s.stack_status_reason().map(str::to_string),
            parameters: s
                .parameters()
                .iter()
                .filter_map(|p| {
                    Some((
                        p.parameter_key()?.to_string(),
                        p.parameter_value()?.to_string(),
                    ))
                })
                .collect(),
            outputs: s
                .outputs()
                .iter()
                .filter_map(|o| Some((o.output_key()?.to_string(), o.output_value()?.to_string())))
                .collect(),
            stack_id: s.stack_id().map(str::to_string),
            last_updated: s
                .last_updated_time()
                .or(s.creation_time())
                .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok()),
        }))
    }

    async fn get_template(&self, name: &str) -> CfnResult<String> {
        let out = self
            .client
            .get_template()
            .stack_name(name)
            .template_stage(TemplateStage::Original)
            .send()
            .await
            .map_err(err)?;
        Ok(out.template_body().unwrap_or_default().to_string())
    }

    async fn stack_tags(
        &self,
        name: &str,
    ) -> CfnResult<Option<std::collections::BTreeMap<String, String>>> {
        let out = self
            .client
            .describe_stacks()
            .stack_name(name)
            .send()
            .await
            .map_err(err)?;
        Ok(out.stacks().first().map(|s| {
            s.tags()
                .iter()
                .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                .collect()
        }))
    }

    async fn create_change_set(&self, req: &ChangeSetRequest) -> CfnResult<String> {
        let mut call = self
            .client
            .create_change_set()
            .stack_name(&req.stack_name)
            .set_role_arn(self.role_arn.clone())
            .change_set_name(&req.change_set_name)
            .change_set_type(match req.kind {
                ChangeSetKind::Create => ChangeSetType::Create,
                ChangeSetKind::Update => ChangeSetType::Update,
                ChangeSetKind::Import => ChangeSetType::Import,
            })
            .capabilities(Capability::CapabilityIam)
            .capabilities(Capability::CapabilityNamedIam)
            .capabilities(Capability::CapabilityAutoExpand);
        call = match &req.template {
            TemplateSource::Body(b) => call.template_body(b),
            TemplateSource::Url(u) => call.template_url(u),
        };
        if let Some(rollback) = &req.rollback {
            call = call.rollback_configuration(rollback_configuration(rollback));
        }
        for (k, v) in &req.parameters {
            call = call.parameters(
                Parameter::builder()
                    .parameter_key(k)
                    .parameter_value(v)
                    .build(),
            );
        }
        for r in &req.resources_to_import {
            call = call.resources_to_import(
                SdkResourceToImport::builder()
                    .resource_type(&r.resource_type)
                    .logical_resource_id(&r.logical_id)
                    .set_resource_identifier(Some(r.identifier.clone().into_iter().collect()))
                    .build(),
            );
        }
        for (key, value) in &req.tags {
            call = call.tags(
                aws_sdk_cloudformation::types::Tag::builder()
                    .key(key)
                    .value(value)
                    .build(),
            );
        }
        let out = call.send().await.map_err(err)?;
        Ok(out.id().unwrap_or(&req.change_set_name).to_string())
    }

    async fn describe_change_set(&self, stack: &str, name: &str) -> CfnResult<ChangeSetInfo> {
        let out = self
            .client
            .describe_change_set()
            .stack_name(stack)
            .change_set_name(name)
            .send()
            .await
            .map_err(err)?;
        Ok(ChangeSetInfo {
            status: out
                .status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            status_reason: out.status_reason().map(str::to_string),
            changes: out
                .changes()
                .iter()
                .filter_map(|c| c.resource_change())
                .map(|r| ChangeSetChange {
                    action: r
                        .action()
                        .map(|a| a.as_str().to_string())
                        .unwrap_or_default(),
                    logical_id: r.logical_resource_id().unwrap_or_default().to_string(),
                    resource_type: r.resource_type().unwrap_or_default().to_string(),
                    replacement: r.replacement().map(|x| x.as_str().to_string()),
                })
                .collect(),
        })
    }

    async fn execute_change_set(&self, stack: &str, name: &str) -> CfnResult<()> {
        self.client
            .execute_change_set()
            .stack_name(stack)
            .change_set_name(name)
            .send()
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn delete_change_set(&self, stack: &str, name: &str) -> CfnResult<()> {
        self.client
            .delete_change_set()
            .stack_name(stack)
            .change_set_name(name)
            .send()
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn stack_events(&self, stack: &str) -> CfnResult<Vec<StackEvent>> {
        let out = self
            .client
            .describe_stack_events()
            .stack_name(stack)
            .send()
            .await
            .map_err(err)?;
        Ok(out
            .stack_events()
            .iter()
            .map(|e| StackEvent {
                event_id: e.event_id().unwrap_or_default().to_string(),
                logical_id: e.logical_resource_id().unwrap_or_default().to_string(),
                resource_type: e.resource_type().unwrap_or_default().to_string(),
                status: e
                    .resource_status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                reason: e.resource_status_reason().map(str::to_string),
            })
            .collect())
    }

    async fn delete_stack(&self, stack: &str) -> CfnResult<()> {
        self.client
            .delete_stack()
            .stack_name(stack)
            .set_role_arn(self.role_arn.clone())
            .send()
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn continue_update_rollback(&self, stack: &str) -> CfnResult<()> {
        self.client
            .continue_update_rollback()
            .stack_name(stack)
            .send()
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn cancel_update_stack(&self, stack: &str) -> CfnResult<()> {
        self.client
            .cancel_update_stack()
            .stack_name(stack)
            .send()
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn create_stack_refactor(&self, req: &RefactorRequest) -> CfnResult<String> {
        let location = |stack: &str, id: &str| {
            ResourceLocation::builder()
                .stack_name(stack)
                .logical_resource_id(id)
                .build()
        };
        let out = self
            .client
            .create_stack_refactor()
            .description(&req.description)
            .enable_stack_creation(req.enable_stack_creation)
            .set_stack_definitions(Some(
                req.stacks
                    .iter()
                    .map(|(name, body)| {
                        StackDefinition::builder()
                            .stack_name(name)
                            .template_body(body)
                            .build()
                    })
                    .collect(),
            ))
            .set_resource_mappings(Some(
                req.mappings
                    .iter()
                    .map(|m| {
                        ResourceMapping::builder()
                            .source(location(&m.from_stack, &m.from))
                            .destination(location(&m.to_stack, &m.to))
                            .build()
                    })
                    .collect(),
            ))
            .send()
            .await
            .map_err(err)?;
        Ok(out.stack_refactor_id().unwrap_or_default().to_string())
    }

    async fn describe_stack_refactor(&self, id: &str) -> CfnResult<RefactorInfo> {
        let out = self
            .client
            .describe_stack_refactor()
            .stack_refactor_id(id)
            .send()
            .await
            .map_err(err)?;
        Ok(RefactorInfo {
            status: out
                .status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            status_reason: out.status_reason().map(str::to_string),
            execution_status: out
                .execution_status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            execution_status_reason: out.execution_status_reason().map(str::to_string),
        })
    }

    async fn execute_stack_refactor(&self, id: &str) -> CfnResult<()> {
        self.client
            .execute_stack_refactor()
            .stack_refactor_id(id)
            .send()
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn physical_id(&self, stack: &str, logical_id: &str) -> CfnResult<Option<String>> {
        let out = self
            .client
            .describe_stack_resource()
            .stack_name(stack)
            .logical_resource_id(logical_id)
            .send()
            .await
            .map_err(err)?;
        Ok(out
            .stack_resource_detail()
            .and_then(|d| d.physical_resource_id())
            .map(str::to_string))
    }

    async fn detect_drift(&self, stack: &str) -> CfnResult<String> {
        let out = self
            .client
            .detect_stack_drift()
            .stack_name(stack)
            .send()
            .await
            .map_err(err)?;
        Ok(out
            .stack_drift_detection_id()
            .unwrap_or_default()
            .to_string())
    }

    async fn drift_status(&self, detection_id: &str) -> CfnResult<DriftStatus> {
        let out = self
            .client
            .describe_stack_drift_detection_status()
            .stack_drift_detection_id(detection_id)
            .send()
            .await
            .map_err(err)?;
        Ok(DriftStatus {
            detection: out
                .detection_status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            stack_drift: out.stack_drift_status().map(|s| s.as_str().to_string()),
            reason: out.detection_status_reason().map(str::to_string),
        })
    }

    async fn resource_drifts(&self, stack: &str) -> CfnResult<Vec<ResourceDrift>> {
        let out = self
            .client
            .describe_stack_resource_drifts()
            .stack_name(stack)
            .stack_resource_drift_status_filters(StackResourceDriftStatus::Modified)
            .stack_resource_drift_status_filters(StackResourceDriftStatus::Deleted)
            .send()
            .await
            .map_err(err)?;
        Ok(out
            .stack_resource_drifts()
            .iter()
            .map(|d| ResourceDrift {
                logical_id: d.logical_resource_id().unwrap_or_default().to_string(),
                resource_type: d.resource_type().unwrap_or_default().to_string(),
                status: d
                    .stack_resource_drift_status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                differences: d
                    .property_differences()
                    .iter()
                    .map(|p| {
                        format!(
                            "{}: {} → {}",
                            p.property_path().unwrap_or_default(),
                            p.expected_value().unwrap_or_default(),
                            p.actual_value().unwrap_or_default()
                        )
                    })
                    .collect(),
            })
            .collect())
    }
}

fn rollback_configuration(config: &RollbackConfig) -> RollbackConfiguration {
    let triggers = config
        .triggers
        .iter()
        .map(|arn| {
            RollbackTrigger::builder()
                .arn(arn)
                .r#type("AWS::CloudWatch::Alarm")
                .build()
        })
        .collect();
    // An empty list, not none: it replaces the triggers the stack kept from before.
    RollbackConfiguration::builder()
        .set_rollback_triggers(Some(triggers))
        .monitoring_time_in_minutes(config.monitoring_minutes.min(MAX_MONITORING_MINUTES) as i32)
        .build()
}
