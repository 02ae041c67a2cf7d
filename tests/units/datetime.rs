use sigv4::*;

#[test]
fn parses_every_accepted_form_to_the_same_instant() {
    let basic = AmzDateTime::parse("20150830T123600Z").unwrap();
    assert_eq!(basic.unix_seconds(), 1_440_938_160);
    for text in ["2015-08-30T12:36:00Z", "2015-08-30T12:36:00.999Z", "2015-08-30t12:36:00+00:00"] {
        assert_eq!(AmzDateTime::parse(text).unwrap(), basic, "{text}");
    }
    assert_eq!(AmzDateTime::from_unix_seconds(1_440_938_160).unwrap(), basic);
    assert_eq!(basic.amz_date_time(), "20150830T123600Z");
    assert_eq!(basic.amz_date(), "20150830");
}

#[test]
fn rejects_impossible_dates_with_a_code() {
    for text in [
        "20150230T000000Z",
        "20150830T240000Z",
        "20150830T123660Z",
        "2015083T123600Z",
        "2015-08-30T12:36:00+02:00",
        "2015-08-30 12:36:00Z",
        "",
        "20150830T12360",
        "+0150830T123600Z",
    ] {
        let err = AmzDateTime::parse(text).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidDate, "{text}");
    }
    assert!(AmzDateTime::parse("20160229T000000Z").is_ok());
    assert!(AmzDateTime::parse("20000229T000000Z").is_ok());
    assert!(AmzDateTime::parse("21000229T000000Z").is_err());
}

#[test]
fn round_trips_across_the_whole_range() {
    for seconds in [i64::MIN / 2, -62_167_219_201, -62_167_219_200, 0, 951_782_400, 253_402_300_799, 253_402_300_800] {
        match AmzDateTime::from_unix_seconds(seconds) {
            Ok(t) => assert_eq!(AmzDateTime::parse(&t.amz_date_time()).unwrap(), t),
            Err(e) => assert_eq!(e.code(), ErrorCode::InvalidDate),
        }
    }
    assert_eq!(AmzDateTime::from_unix_seconds(-62_167_219_200).unwrap().amz_date_time(), "00000101T000000Z");
    assert_eq!(AmzDateTime::from_unix_seconds(253_402_300_799).unwrap().amz_date_time(), "99991231T235959Z");
}
