// Each verdict's colour class and icon: green verified, neutral registered, amber expired/suspicious,
// red unknown/recalled/invalid/suspended; the icon carries the class for colour-blind users.
export const LOOK = {
  authentic: ['good', '✔'], registered: ['neutral', 'ℹ'], unverified: ['neutral', '?'], invalid_code: ['neutral', '?'],
  expired: ['warn', '⚠'], suspicious: ['warn', '⚠'],
  unknown: ['bad', '✖'], recalled: ['bad', '✖'], invalid_signature: ['bad', '✖'], suspended: ['bad', '✖'],
};

export const TEXTS = {
  vi: {
    title: 'Kiểm tra hàng hóa', other: 'English', online: 'Trực tuyến', offline: 'Ngoại tuyến',
    ready: 'Sẵn sàng kiểm tra ngoại tuyến', notReady: 'Chưa tải khóa công khai', scan: 'Quét bằng camera', stop: 'Dừng quét',
    photo: 'Chọn ảnh mã QR', code: 'Hoặc nhập/dán mã', check: 'Kiểm tra', key: 'Khóa kiểm tra viên', saveKey: 'Lưu khóa',
    noQr: 'Không tìm thấy mã QR trong ảnh.', noCamera: 'Không mở được camera.', checking: 'Đang kiểm tra…',
    record: 'Lập biên bản kiểm tra', result: 'Kết luận', notes: 'Ghi chú', save: 'Lưu biên bản', queued: 'biên bản chờ gửi',
    saved: 'Đã lưu biên bản; sẽ gửi khi có mạng.', sent: 'Đã gửi biên bản.', offlineNote: 'Kiểm tra ngoại tuyến bằng chữ ký số và danh sách thu hồi lúc',
    product: 'Sản phẩm', lot: 'Lô', serial: 'Số sê-ri', producer: 'Nhà sản xuất', expiry: 'Hạn sử dụng', noExpiry: 'Không ghi',
    place: 'Quầy, cửa hàng nơi kiểm tra', placeHint: 'VD: Quầy 12, chợ Tam Cờ', evidence: 'Ảnh chụp hàng hóa (không bắt buộc)',
    recordNumber: 'Số biên bản', sentNumber: 'Đã gửi biên bản số', badPhoto: 'Không đọc được ảnh; hãy chụp lại (JPEG hoặc PNG).',
    phone: 'Điện thoại', taxCode: 'Mã số thuế',
    verdicts: {
      authentic: 'CHÍNH HÃNG — ĐÃ XÁC THỰC', registered: 'ĐÃ ĐĂNG KÝ — CHƯA XÁC THỰC', unknown: 'KHÔNG CÓ TRONG HỆ THỐNG',
      recalled: 'ĐÃ BỊ THU HỒI', expired: 'HẾT HẠN', suspended: 'NHÀ SẢN XUẤT BỊ ĐÌNH CHỈ',
      invalid_signature: 'CHỮ KÝ KHÔNG HỢP LỆ — NGHI GIẢ', suspicious: 'ĐÁNG NGỜ — CÓ THỂ BỊ SAO CHÉP',
      unverified: 'CHƯA XÁC MINH ĐƯỢC (NGOẠI TUYẾN)', invalid_code: 'MÃ KHÔNG HỢP LỆ',
    },
    reasons: {
      signature_valid_offline: 'Chữ ký số trên nhãn hợp lệ.', signature_invalid_offline: 'Chữ ký số không khớp với mã: nhãn bị sửa hoặc làm giả.',
      recalled_offline: 'Lô này có trong danh sách thu hồi.', no_signature_offline: 'Mã không có chữ ký số; cần có mạng để kiểm tra đăng ký.',
      expired_offline: 'Hạn sử dụng in trên mã đã qua.', invalid_code_offline: 'Không đọc được mã: không phải GS1 Digital Link, chuỗi phần tử GS1 hay mã GTIN.',
    },
    results: { compliant: 'Đạt', violation: 'Vi phạm', seized: 'Tạm giữ' },
  },
  en: {
    title: 'Product inspection', other: 'Tiếng Việt', online: 'Online', offline: 'Offline',
    ready: 'Ready to verify offline', notReady: 'Public keys not loaded yet', scan: 'Scan with camera', stop: 'Stop scanning',
    photo: 'Pick a QR photo', code: 'Or type/paste a code', check: 'Check', key: 'Inspector key', saveKey: 'Save key',
    noQr: 'No QR code found in the picture.', noCamera: 'The camera could not be opened.', checking: 'Checking…',
    record: 'Inspection record', result: 'Conclusion', notes: 'Notes', save: 'Save record', queued: 'records waiting to be sent',
    saved: 'Record saved; it will be sent when online.', sent: 'Record sent.', offlineNote: 'Checked offline with the digital signature and the recall list of',
    product: 'Product', lot: 'Lot', serial: 'Serial', producer: 'Producer', expiry: 'Expiry date', noExpiry: 'Not given',
    place: 'Stall or shop inspected', placeHint: 'e.g. Stall 12, Tam Co market', evidence: 'Photo of the goods (optional)',
    recordNumber: 'Record number', sentNumber: 'Sent record no.', badPhoto: 'The photo could not be read; take it again (JPEG or PNG).',
    phone: 'Phone', taxCode: 'Tax code',
    verdicts: {
      authentic: 'GENUINE — VERIFIED', registered: 'REGISTERED — NOT PROOF OF AUTHENTICITY', unknown: 'NOT REGISTERED', recalled: 'RECALLED',
      expired: 'EXPIRED', suspended: 'PRODUCER SUSPENDED', invalid_signature: 'INVALID SIGNATURE — LIKELY FAKE',
      suspicious: 'SUSPICIOUS — POSSIBLE CLONE', unverified: 'CANNOT VERIFY OFFLINE', invalid_code: 'INVALID CODE',
    },
    reasons: {
      signature_valid_offline: 'The label\'s digital signature is valid.', signature_invalid_offline: 'The signature does not match the code: the label was altered or forged.',
      recalled_offline: 'This lot is on the recall list.', no_signature_offline: 'The code carries no signature; a connection is needed to check its registration.',
      expired_offline: 'The expiry date printed in the code has passed.', invalid_code_offline: 'The code is not a GS1 Digital Link, GS1 element string or GTIN.',
    },
    results: { compliant: 'Compliant', violation: 'Violation', seized: 'Seized' },
  },
};
