use sigv4::*;

#[test]
fn infers_region_and_service_from_aws_hosts() {
    // A table, alike row by row on purpose: each host with the region and service it gives.
    for (host, region, service) in [
        ("abc123.execute-api.us-east-1.amazonaws.com", Some("us-east-1"), Some("execute-api")),
        ("dynamodb.eu-west-1.amazonaws.com:443", Some("eu-west-1"), Some("dynamodb")),
        ("sts.amazonaws.com", Some("us-east-1"), Some("sts")),
        ("sts.us-west-2.amazonaws.com", Some("us-west-2"), Some("sts")),
        ("iam.amazonaws.com", Some("us-east-1"), Some("iam")),
        ("iam.amazonaws.com.cn", Some("cn-north-1"), Some("iam")),
        ("s3.amazonaws.com", Some("us-east-1"), Some("s3")),
        ("examplebucket.s3.amazonaws.com", Some("us-east-1"), Some("s3")),
        ("bucket.s3.us-west-2.amazonaws.com", Some("us-west-2"), Some("s3")),
        ("bucket.s3-eu-west-1.amazonaws.com", Some("eu-west-1"), Some("s3")),
        ("s3.dualstack.us-west-2.amazonaws.com", Some("us-west-2"), Some("s3")),
        ("bucket.s3.dualstack.ap-south-1.amazonaws.com", Some("ap-south-1"), Some("s3")),
        ("bucket.s3-accelerate.amazonaws.com", None, Some("s3")),
        ("bucket.s3-accelerate.dualstack.amazonaws.com", None, Some("s3")),
        ("ap-111122223333.s3-accesspoint.us-east-1.amazonaws.com", Some("us-east-1"), Some("s3")),
        ("dynamodb-fips.us-gov-west-1.amazonaws.com", Some("us-gov-west-1"), Some("dynamodb")),
        ("email.us-east-1.amazonaws.com", Some("us-east-1"), Some("ses")),
        ("runtime.sagemaker.us-east-1.amazonaws.com", Some("us-east-1"), Some("sagemaker")),
        ("search-domain-abc.us-east-1.es.amazonaws.com", Some("us-east-1"), Some("es")),
        ("abc.us-west-2.aoss.amazonaws.com", Some("us-west-2"), Some("aoss")),
        ("abc.appsync-api.eu-central-1.amazonaws.com", Some("eu-central-1"), Some("appsync")),
        ("abc.lambda-url.us-east-2.on.aws", Some("us-east-2"), Some("lambda")),
        ("s3.dualstack.us-east-1.api.aws", Some("us-east-1"), Some("s3")),
        ("account.r2.cloudflarestorage.com", Some("auto"), Some("s3")),
        ("monitoring.cn-north-1.amazonaws.com.cn", Some("cn-north-1"), Some("monitoring")),
        ("iot.us-east-1.amazonaws.com", Some("us-east-1"), Some("iot")),
        ("abc123-ats.iot.us-east-1.amazonaws.com", Some("us-east-1"), Some("iotdata")),
        ("data-ats.iot.eu-west-1.amazonaws.com", Some("eu-west-1"), Some("iotdata")),
        ("lambda.amazonaws.com", None, Some("lambda")),
        ("api.example.com", None, None),
        ("localhost:3000", None, None),
        ("127.0.0.1", None, None),
    ] {
        let inferred = infer_scope(host);
        assert_eq!((inferred.region.as_deref(), inferred.service.as_deref()), (region, service), "{host}");
    }
}

#[test]
fn resolving_prefers_what_was_given_and_names_what_is_missing() {
    assert_eq!(
        resolve_scope("x.execute-api.us-east-1.amazonaws.com", None, None).unwrap(),
        ("us-east-1".into(), "execute-api".into())
    );
    assert_eq!(
        resolve_scope("api.example.com", Some("eu-west-1"), Some("execute-api")).unwrap(),
        ("eu-west-1".into(), "execute-api".into())
    );
    let err = resolve_scope("bucket.s3-accelerate.amazonaws.com", None, None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MissingRegion);
    assert!(err.message().contains("bucket.s3-accelerate.amazonaws.com"), "{}", err.message());
    let err = resolve_scope("api.example.com", Some("us-east-1"), None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MissingService);
    assert_eq!(resolve_scope("api.example.com", Some(""), Some("x")).unwrap_err().code(), ErrorCode::MissingRegion);
}
